"""The hall display board: the numbers called at each counter of a reception point, live.

The page polls a small JSON route every 0.5 s with the id of the last call it has seen
(plain JavaScript, no front-end build): a call shows within a second of the clerk's
press, on any worker type, through any proxy, and a board that lost the network for a
while catches up on its next poll. Each new call is spoken in Vietnamese ("Mời số B-023
đến quầy 3") with a clip from espeak-ng on the server (:mod:`.voice`), or the browser's
own Vietnamese voice when the server has no espeak-ng. Public: numbers, never names.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from motcua.plugin_api import public

from .kiosk import reception_points_of_ward
from .models import Call, Desk, Ticket
from .voice import call_phrase, speech_wav
from .web import pages, tenant_id

SHOWN = 8


def calls_after(ward: int, point: str, after: int) -> dict[str, Any]:
    """Return the calls of ``point`` after call id ``after`` (the latest :data:`SHOWN` on
    the first poll) and, per counter, the number it called last."""
    query = (
        Call.select(Call, Ticket, Desk)
        .join(Ticket, on=(Call.ticket == Ticket.id))
        .switch(Call)
        .join(Desk, on=(Call.counter == Desk.id))
        .where(Call.tenant_id == ward, Call.point == point)
    )
    if after:
        rows = list(query.where(Call.id > after).order_by(Call.id).limit(50))
    else:
        rows = list(reversed(query.order_by(Call.id.desc()).limit(SHOWN)))
    calls = [
        {
            "id": call.id,
            "number": call.ticket.number,
            "counter": call.counter.name,
            "counter_number": call.counter.number,
            "at": call.at.strftime("%H:%M:%S"),
            "say": call_phrase(call.ticket.number, call.counter.number),
        }
        for call in rows
    ]
    return {"calls": calls, "last_id": calls[-1]["id"] if calls else after}


@pages.get("/bang/<point>")
@public
def board(point: str) -> ResponseReturnValue:
    """The display board of reception point ``point``."""
    place = next((p for p in reception_points_of_ward() if p.key == point), None)
    if place is None:
        abort(404)
    return render_template("queue/board.html", place=place, point=point)


@pages.get("/bang/<point>/goi")
@public
def board_calls(point: str) -> ResponseReturnValue:
    """The calls after ``?after=<id>`` as JSON (the board polls it)."""
    if point not in {p.key for p in reception_points_of_ward()}:
        abort(404)
    try:
        after = max(int(request.args.get("after", "0")), 0)
    except ValueError:
        after = 0
    response = jsonify(calls_after(tenant_id(), point, after))
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.get("/bang/loi-goi.wav")
@public
def board_voice() -> ResponseReturnValue:
    """The spoken call ``?so=B-023&quay=3`` as WAV (404 without espeak-ng: the board then
    uses the browser's voice)."""
    try:
        counter = int(request.args.get("quay", ""))
    except ValueError:
        abort(404)
    wav = speech_wav(request.args.get("so", ""), counter)
    if wav is None:
        abort(404)
    return wav, 200, {"Content-Type": "audio/wav", "Cache-Control": "public, max-age=86400"}
