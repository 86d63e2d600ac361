"""Machine-translation engines behind the domain's ``MTEngine`` interface."""
