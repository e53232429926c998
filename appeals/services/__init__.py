"""Appeals write services: filing, preparing/assigning/deciding, IRE, closing, documents."""
