"""Orchestration and state: the Prefect flows, the CLI, the store, the workspace and its inbox."""
