"""NIR: Nasjonalt introduksjonsregister."""
