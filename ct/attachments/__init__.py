"""Files kept with exchanges: checked, stored, served, exported, deleted."""
