"""The subcommands, one module per job: argument handling and printing only; the work is done by the services
(no Textual here). cli.py says which module serves which command."""
