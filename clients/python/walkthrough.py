"""The README walkthrough, run by a real GraphQL client in another language (Python's `gql`)
against a running `lianban serve --demo`, with a `taskEvents` subscription over
graphql-transport-ws watching 消防救援大队's task come and go.

    python clients/python/walkthrough.py http://127.0.0.1:8080

The operations are read from README.md, so what a person pastes into GraphiQL is what runs here.
Exits non-zero, saying why, when anything differs from what the README promises.
"""

import asyncio
import pathlib
import re
import sys

from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "Lianban@2026"
EVENTS = """
subscription {
  taskEvents { kind task { id department { code } assignee { username } status } }
}
"""


def operations():
    """README's GraphQL blocks by operation name."""
    text = README.read_text(encoding="utf-8")
    ops = {}
    for block in re.findall(r"```graphql\n(.*?)```", text, re.S):
        match = re.search(r"\b(?:query|mutation)\s+(\w+)", block)
        if match:
            ops[match.group(1)] = block
    return ops


OPS = operations()


def check(condition, message):
    if not condition:
        raise SystemExit(f"walkthrough: {message}")


async def run(op, variables=None, token=None, base=None):
    """One README operation over HTTP as `token`."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = AIOHTTPTransport(url=f"{base}/graphql", headers=headers)
    async with Client(transport=transport, fetch_schema_from_transport=False) as session:
        return await session.execute(gql(OPS[op]), variable_values=variables or {})


async def login(base, username):
    data = await run("Login", {"username": username, "password": PASSWORD}, base=base)
    return data["login"]["token"]


async def watch(base, token, seen, ready):
    """Collects 消防's task events until the task is resolved."""
    ws = base.replace("http://", "ws://") + "/graphql/ws"
    transport = WebsocketsTransport(
        url=ws,
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with Client(transport=transport, fetch_schema_from_transport=False) as session:
        subscription = session.subscribe(gql(EVENTS))
        ready.set()
        async for event in subscription:
            seen.append(event["taskEvents"])
            if event["taskEvents"]["kind"] == "RESOLVED":
                return


async def main(base):
    # 4. The fire brigade's reviewer subscribes before anything happens.
    fire = await login(base, "xfjy.a")
    seen, ready = [], asyncio.Event()
    watcher = asyncio.create_task(watch(base, fire, seen, ready))
    await asyncio.wait_for(ready.wait(), 10)
    await asyncio.sleep(0.5)

    # 1–3. The window clerk signs in, opens the joint case (twice with one key) and accepts it.
    window = await login(base, "scjg.window")
    opened = (await run("OpenJointCase", token=window, base=base))["openCase"]
    again = (await run("OpenJointCase", token=window, base=base))["openCase"]
    check(opened["id"] == again["id"], "the same idempotency key gave a second case")
    check(opened["status"] == "RECEIVED", f"opened as {opened['status']}")
    check(opened["firstResponder"]["name"] == "王窗口", "the clerk is not the first responder")
    accepted = (await run("AcceptCase", {"caseId": opened["id"]}, token=window, base=base))[
        "acceptCase"
    ]
    check(accepted["status"] == "IN_REVIEW", f"accepted as {accepted['status']}")
    departments = sorted(t["department"]["name"] for t in accepted["tasks"])
    check(departments == ["卫生健康局", "消防救援大队", "生态环境局"], f"tasks for {departments}")

    # 4–5. Each reviewer finds the task in their queue and approves it.
    for username in ["xfjy.a", "sthj.a", "wsjk.a"]:
        token = await login(base, username)
        queue = (await run("MyTasks", token=token, base=base))["myTasks"]["edges"]
        mine = [e["node"] for e in queue if e["node"]["case"]["number"] == opened["number"]]
        check(len(mine) == 1, f"{username} sees {len(mine)} tasks of the case")
        approved = (await run("Approve", {"taskId": mine[0]["id"]}, token=token, base=base))
        check(approved["submitOpinion"]["task"]["status"] == "RESOLVED", f"{username}'s task")

    # 6. The lead window decides.
    decided = (await run("Decide", {"caseId": opened["id"]}, token=window, base=base))["decideCase"]
    check(decided["status"] == "DECIDED", f"decided as {decided['status']}")
    check(decided["decision"]["outcome"] == "APPROVED", "not approved")

    # 7. The case reads back with its notices and timeline.
    story = (await run("CaseTimeline", {"number": opened["number"]}, token=window, base=base))[
        "caseByNumber"
    ]
    kinds = [e["kind"] for e in story["timeline"]]
    check(story["status"] == "DECIDED", "not decided on reading back")
    check(kinds[0] == "CASE_OPENED" and "CASE_DECIDED" in kinds, f"timeline {kinds}")

    # A wrong password gets its code, not a crash.
    try:
        await run("Login", {"username": "scjg.window", "password": "wrong"}, base=base)
        check(False, "a wrong password signed in")
    except TransportQueryError as err:
        check(err.errors[0]["extensions"]["code"] == "UNAUTHENTICATED", f"{err.errors}")

    # The subscriber heard its task created and resolved.
    await asyncio.wait_for(watcher, 15)
    heard = [(e["kind"], e["task"]["department"]["code"]) for e in seen]
    check(heard[0] == ("CREATED", "XFJY"), f"first event {heard}")
    check(heard[-1] == ("RESOLVED", "XFJY"), f"last event {heard}")
    check(all(code == "XFJY" for _, code in heard), f"another department's events {heard}")
    print(f"walkthrough: {opened['number']} decided; taskEvents heard {heard}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1].rstrip("/")))
