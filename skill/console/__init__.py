"""`backcoach try`: hold the whole conversation in a terminal, through the real skill."""
