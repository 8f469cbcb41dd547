from booksmith.cli import run

run()
