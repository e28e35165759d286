"""The security group the template makes with `network.createSecurityGroup`, and the groups the
environment gets.

MWAA's user guide ("Security in your VPC"): all traffic between the parts of the environment through a
self-referencing inbound rule for all traffic, and go out on all traffic, which is what EC2 gives a
new group by default. The environment gets the made group first, then the listed ones.
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import MwaaTarget
from airflowspec.targets.mwaa.stack_values import expression, list_expression

SECURITY_GROUP = "SecurityGroup"
SELF_INGRESS = "SecurityGroupSelfIngress"
_GROUP_ID = {"Fn::GetAtt": [SECURITY_GROUP, "GroupId"]}


def security_group_resources(mwaa: MwaaTarget) -> dict[str, Any]:
    create = mwaa.network.create_security_group
    if create is None:
        return {}
    group = {
        "GroupDescription": "Amazon MWAA environment: all traffic between its own parts, all traffic out",
        "VpcId": expression(create.vpc_id),
    }
    rule = {
        "GroupId": _GROUP_ID,
        "IpProtocol": "-1",
        "SourceSecurityGroupId": _GROUP_ID,
        "Description": "Amazon MWAA: all traffic between the parts of the environment",
    }
    return {
        SECURITY_GROUP: {"Type": "AWS::EC2::SecurityGroup", "Properties": group},
        SELF_INGRESS: {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": rule},
    }


def security_group_ids(mwaa: MwaaTarget) -> Any:
    """NetworkConfiguration.SecurityGroupIds: the made group, then the listed ones."""
    listed = list_expression(mwaa.network.security_group_ids)
    if mwaa.network.create_security_group is None:
        return listed
    if isinstance(listed, list):
        return [_GROUP_ID, *listed]
    # One parameter for the whole list: CloudFormation cannot put a list into a list, but it can join
    # both into one text and split that.
    return {"Fn::Split": [",", {"Fn::Join": [",", [_GROUP_ID, {"Fn::Join": [",", listed]}]]}]}
