"""Corridor: the collaborative innovation market of the Shanghai–Nanjing industrial innovation belt."""
