"""Channels: the website widget over socket.io and the messaging platforms (Rasa connectors)."""
