"""Fleet health views: every monitored asset ranked worst first, a map of tiles coloured by
health, and the maintenance list export; all read ``Frame.health`` (``twin.condition``)."""
