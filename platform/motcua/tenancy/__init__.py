"""Tenants: the merged wards motcua hosts, their reception points, counters and calendar."""
