"""The home page: its widgets, the menu counters and the member's layout of them."""
