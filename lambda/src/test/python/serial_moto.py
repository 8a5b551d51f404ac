"""moto's DynamoDB for the ledger tests: on 127.0.0.1, a free port (printed on the first line), one request at a time.

DynamoDB runs each transaction in isolation (serializable): two transactions on the same item never interleave.
moto's own server is threaded and its transactions take no lock, so two parallel requests could interleave inside
moto in a way DynamoDB never allows. Serving one request at a time gives the isolation DynamoDB guarantees, so a
race test shows what the handler's conditions decide, not a quirk of the emulator.
The server stops when its standard input closes, so it cannot outlive the test JVM that started it.
"""
import os
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server


def _exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


app = DomainDispatcherApplication(create_backend_app)
server = make_server("127.0.0.1", 0, app, threaded=False)
threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
print(server.port, flush=True)
server.serve_forever()
