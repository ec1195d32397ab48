"""Back Coach: a voice coach for a runner's back-strengthening routine."""
