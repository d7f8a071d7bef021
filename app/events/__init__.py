"""Events: CRUD and the lifecycle state machine."""
