individual --help
