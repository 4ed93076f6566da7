"""Server plumbing: start-up from the environment, the tracker store, the Rasa policy."""
