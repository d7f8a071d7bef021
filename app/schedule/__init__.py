"""Schedule: plans from matching/, stored as rounds, rooms and members."""
