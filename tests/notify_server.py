"""A stand-in notification daemon: owns `org.freedesktop.Notifications` on the session
bus and writes each Notify call it receives as a JSON line. Run as a script:
`python -m tests.notify_server RECORD_FILE` (with DBUS_SESSION_BUS_ADDRESS set)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"


def serve(record: Path) -> None:
    connection = open_dbus_connection(bus="SESSION")
    reply = connection.send_and_get_reply(message_bus.RequestName(NAME, 4))
    if reply.body[0] != 1:
        raise SystemExit(f"could not own {NAME}: {reply.body}")
    record.write_text("")  # ready
    next_id = 1
    while True:
        message = connection.receive()
        if message.header.message_type is not MessageType.method_call:
            continue
        member = message.header.fields.get(HeaderFields.member)
        if member == "Notify":
            app_name, _replaces, _icon, summary, body, *_ = message.body
            with record.open("a", encoding="utf-8") as out:
                line = {"app_name": app_name, "summary": summary, "body": body}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
            connection.send(new_method_return(message, "u", (next_id,)))
            next_id += 1
        elif member == "GetServerInformation":
            connection.send(
                new_method_return(message, "ssss", ("fake", "careline-tests", "1", "1.2"))
            )
        elif member == "GetCapabilities":
            connection.send(new_method_return(message, "as", (["body"],)))
        else:
            connection.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod"))


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
