"""The Flask shell: the HTTPS endpoint a real Alexa skill points at."""
