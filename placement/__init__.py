"""A resource inventory and allocation service compatible with the
OpenStack Placement API."""
