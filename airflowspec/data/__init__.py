"""Facts about the outside world that checks look up: releases, versions, limits."""
