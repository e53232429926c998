"""Read-only views of the UM program: the setup checklist, goal values, IRR results, feedback."""
