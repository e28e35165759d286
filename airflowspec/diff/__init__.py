"""`airflowspec diff`: what a change does to the platform, artifact by artifact, secrets masked."""
