"""The edges people touch: the `policyqa` command and the web app. Nothing imports `ui`."""
