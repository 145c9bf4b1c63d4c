#!/usr/bin/env python3
"""The joint case on SpiffWorkflow, each workflow stored as JSON in PostgreSQL.

A comparison partner for Lianban's HTTP benchmark (see README.md beside this file).

    python joint.py --database-url postgres://postgres@127.0.0.1:5432/test \
        --schema spiff_bench --phase open|opinions --cases N --clients C --round R

--phase open      opens cases 1..N of round R: one transaction each builds a fresh workflow
                  from joint.bpmn, completes `accept`, runs the engine until the three
                  `review` instances are READY, and INSERTs the serialized workflow.
--phase opinions  gives the 3N department opinions of round R, one transaction each:
                  SELECT ... FOR UPDATE, deserialize, complete that department's `review`
                  instance, run the engine, UPDATE. The step after which `decide` is READY
                  sets awaiting_decision_at and moved = moved + 1 in the same UPDATE.

C threads, each with its own connection, take the work in order from a shared counter, so
the three opinions of a case are in flight together and race on its row lock.

Prints one JSON line at the end; exits non-zero on any error or a failed check.
"""

import argparse
import json
import os
import sys
import threading
import time

import psycopg
from psycopg import sql

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

BPMN_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "joint.bpmn")
PROCESS_ID = "joint_case"
DEPARTMENTS = ["XFJY", "STHJ", "WSJK"]

STATE_COLUMN_NOTE = """\
The state column is `json`, which keeps the serializer's text as it is. It cannot be `jsonb`:
SpiffWorkflow 3.2.0's serializer stores each task's data as a delta against its parent's and
restores the tasks in the order of the keys of the "tasks" object, so a parent must come before
its children. jsonb re-orders object keys (by length, then bytes: for task ids, at random), and a
workflow read back from jsonb loses task data (here: the `department` of review instances)."""


class BenchError(Exception):
    pass


def load_spec():
    """Parse (and validate against the BPMN XSD) once per process."""
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(BPMN_FILE)
    spec = parser.get_spec(PROCESS_ID)
    # The parser turns the multi-instance task `review` into a parent task spec named
    # `review` and a task spec for its instances, whose name the parent holds.
    review_instance = spec.task_specs["review"].task_spec
    return spec, review_instance


class Statements:
    def __init__(self, schema):
        s = sql.Identifier(schema)
        self.ddl = [
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {}.workflows ("
                " id bigserial PRIMARY KEY,"
                " round integer NOT NULL,"
                " case_no integer NOT NULL,"
                # json, not jsonb: see STATE_COLUMN_NOTE.
                " state json NOT NULL,"
                " awaiting_decision_at timestamptz NULL,"
                " moved integer NOT NULL DEFAULT 0,"
                " UNIQUE (round, case_no))"
            ).format(s),
        ]
        self.state_type = sql.SQL(
            "SELECT data_type FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = 'workflows' AND column_name = 'state'"
        )
        self.insert = sql.SQL(
            "INSERT INTO {}.workflows (round, case_no, state) VALUES (%s, %s, %s::json)"
        ).format(s)
        self.lock = sql.SQL(
            "SELECT id, state::text, awaiting_decision_at IS NOT NULL"
            " FROM {}.workflows WHERE round = %s AND case_no = %s FOR UPDATE"
        ).format(s)
        self.update = sql.SQL(
            "UPDATE {}.workflows SET state = %s::json WHERE id = %s"
        ).format(s)
        self.update_and_move = sql.SQL(
            "UPDATE {}.workflows SET state = %s::json,"
            " awaiting_decision_at = now(), moved = moved + 1 WHERE id = %s"
        ).format(s)
        self.count = sql.SQL("SELECT count(*) FROM {}.workflows WHERE round = %s").format(s)
        self.case_numbers = sql.SQL(
            "SELECT case_no FROM {}.workflows WHERE round = %s ORDER BY case_no"
        ).format(s)
        self.check = sql.SQL(
            "SELECT case_no, moved, awaiting_decision_at IS NOT NULL, state::text"
            " FROM {}.workflows WHERE round = %s ORDER BY case_no"
        ).format(s)


def open_case(conn, st, spec, review_instance, serializer, round_no, case_no):
    """One case opened and accepted: ONE transaction (the INSERT and its commit)."""
    wf = BpmnWorkflow(spec)
    for task in wf.get_tasks(state=TaskState.READY):
        # The process's start task: its data flows to every task after it.
        task.data.update(
            departments=list(DEPARTMENTS),
            round=round_no,
            case_no=case_no,
            applicant={
                "name": f"申请人{case_no}",
                "id_number": f"11010119900101{case_no % 10000:04d}",
                "phone": "13800000000",
            },
            matter="联合审批事项",
        )
    wf.do_engine_steps()
    accept = wf.get_next_task(state=TaskState.READY, spec_name="accept")
    if accept is None:
        raise BenchError(f"case {case_no}: `accept` is not READY after start")
    accept.data.update(accepted_by="window-1", accept_note="当场受理")
    accept.run()
    wf.do_engine_steps()
    ready = wf.get_tasks(state=TaskState.READY, spec_name=review_instance)
    if sorted(t.data.get("department") for t in ready) != sorted(DEPARTMENTS):
        raise BenchError(f"case {case_no}: expected 3 READY review instances, got {len(ready)}")
    state = serializer.serialize_json(wf)
    with conn.transaction():
        conn.execute(st.insert, (round_no, case_no, state))


def give_opinion(conn, st, review_instance, serializer, round_no, case_no, department):
    """One department's opinion: ONE transaction around the row lock."""
    with conn.transaction():
        row = conn.execute(st.lock, (round_no, case_no)).fetchone()
        if row is None:
            raise BenchError(f"case {case_no} of round {round_no} is missing")
        row_id, state, already_moved = row
        wf = serializer.deserialize_json(state)
        mine = [
            t for t in wf.get_tasks(state=TaskState.READY, spec_name=review_instance)
            if t.data.get("department") == department
        ]
        if len(mine) != 1:
            raise BenchError(
                f"case {case_no}: {len(mine)} READY review instances for {department}"
            )
        task = mine[0]
        task.data["opinion"] = {
            "department": department,
            "verdict": "APPROVE",
            "text": f"{department} 同意",
        }
        task.run()
        wf.do_engine_steps()
        decide_ready = wf.get_next_task(state=TaskState.READY, spec_name="decide") is not None
        state = serializer.serialize_json(wf)
        if decide_ready and not already_moved:
            conn.execute(st.update_and_move, (state, row_id))
        else:
            conn.execute(st.update, (state, row_id))


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self._next = 0

    def take(self):
        with self._lock:
            i = self._next
            self._next += 1
            return i


def run_threads(conns, items, work):
    """Run `work(conn, serializer, item)` over `items` in order on len(conns) threads.

    Returns (ops done, wall seconds of the work only, errors)."""
    counter = Counter()
    stop = threading.Event()
    errors = []
    done = [0] * len(conns)
    barrier = threading.Barrier(len(conns) + 1)

    def worker(k, conn):
        # One serializer per thread: the serializer flips a flag on its registry while
        # it encodes, so it is not shared between threads.
        serializer = BpmnWorkflowSerializer()
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return
        while not stop.is_set():
            i = counter.take()
            if i >= len(items):
                return
            try:
                work(conn, serializer, items[i])
                done[k] += 1
            except BaseException as e:  # noqa: BLE001 - reported and turned into exit 1
                errors.append(f"{items[i]}: {type(e).__name__}: {e}")
                stop.set()
                return

    threads = [threading.Thread(target=worker, args=(k, c), daemon=True) for k, c in enumerate(conns)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    return sum(done), seconds, errors


def check_opinions(conn, st, review_instance, round_no, cases):
    """Exactly once, from the database: every case of the round moved once, has
    awaiting_decision_at, and its workflow has exactly 3 completed review instances (one per
    department) with `decide` READY."""
    serializer = BpmnWorkflowSerializer()
    rows = conn.execute(st.check, (round_no,)).fetchall()
    problems = []
    if len(rows) != cases:
        problems.append(f"round {round_no} has {len(rows)} cases, expected {cases}")
    for case_no, moved, awaiting, state in rows:
        wf = serializer.deserialize_json(state)
        completed = wf.get_tasks(state=TaskState.COMPLETED, spec_name=review_instance)
        departments = sorted(t.data.get("department") for t in completed)
        decide_ready = wf.get_next_task(state=TaskState.READY, spec_name="decide") is not None
        if moved != 1 or not awaiting or departments != sorted(DEPARTMENTS) or not decide_ready:
            problems.append(
                f"case {case_no}: moved={moved} awaiting_decision_at={'set' if awaiting else 'null'}"
                f" completed reviews={departments} decide READY={decide_ready}"
            )
    conn.rollback()
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--phase", required=True, choices=["open", "opinions"])
    ap.add_argument("--cases", required=True, type=int)
    ap.add_argument("--clients", required=True, type=int)
    ap.add_argument("--round", required=True, type=int)
    args = ap.parse_args()
    if args.cases < 1 or args.clients < 1:
        ap.error("--cases and --clients must be at least 1")

    # Not timed: parsing, the tables, connecting.
    spec, review_instance = load_spec()
    st = Statements(args.schema)
    admin = psycopg.connect(args.database_url, autocommit=True)
    for stmt in st.ddl:
        admin.execute(stmt)
    state_type = admin.execute(st.state_type, (args.schema,)).fetchone()[0]
    if state_type != "json":
        raise BenchError(f"{args.schema}.workflows.state is {state_type}, not json.\n{STATE_COLUMN_NOTE}")
    sync = admin.execute("SHOW synchronous_commit").fetchone()[0]
    if sync != "on":
        print(f"warning: the server's synchronous_commit is {sync!r}", file=sys.stderr)

    if args.phase == "open":
        existing = admin.execute(st.count, (args.round,)).fetchone()[0]
        if existing:
            raise BenchError(f"round {args.round} already has {existing} cases in {args.schema}")
        # Build one workflow up to the reviews in this thread first (not stored): the
        # multi-instance task connects its merge callback to the shared spec the first time
        # it creates instances, so the threads below find the spec already settled.
        open_case(_NoInsert(), st, spec, review_instance, BpmnWorkflowSerializer(), args.round, 0)
        items = list(range(1, args.cases + 1))

        def work(conn, serializer, case_no):
            open_case(conn, st, spec, review_instance, serializer, args.round, case_no)
    else:
        numbers = [r[0] for r in admin.execute(st.case_numbers, (args.round,)).fetchall()]
        if numbers != list(range(1, args.cases + 1)):
            raise BenchError(
                f"round {args.round} in {args.schema} holds {len(numbers)} cases,"
                f" expected cases 1..{args.cases} (run --phase open first)"
            )
        items = [(n, d) for n in numbers for d in DEPARTMENTS]

        def work(conn, serializer, item):
            give_opinion(conn, st, review_instance, serializer, args.round, item[0], item[1])

    conns = [psycopg.connect(args.database_url, autocommit=True) for _ in range(args.clients)]
    ops, seconds, errors = run_threads(conns, items, work)
    for c in conns:
        c.close()
    for e in errors:
        print(f"error: {e}", file=sys.stderr)

    result = {
        "phase": args.phase,
        "round": args.round,
        "clients": args.clients,
        "ops": ops,
        "seconds": round(seconds, 3),
        "ops_per_s": round(ops / seconds, 1) if seconds > 0 else None,
    }
    ok = not errors and ops == len(items)
    if errors:
        result["errors"] = len(errors)
    if args.phase == "open":
        stored = admin.execute(st.count, (args.round,)).fetchone()[0]
        if stored != args.cases:
            print(f"error: round {args.round} holds {stored} cases, expected {args.cases}", file=sys.stderr)
            ok = False
    else:
        admin.autocommit = False
        problems = check_opinions(admin, st, review_instance, args.round, args.cases)
        for p in problems[:20]:
            print(f"check: {p}", file=sys.stderr)
        if len(problems) > 20:
            print(f"check: ... and {len(problems) - 20} more", file=sys.stderr)
        # False too when this run did not apply every opinion (an error stopped it).
        result["exactly_once"] = ok and not problems
        ok = ok and not problems
    admin.close()
    print(json.dumps(result), flush=True)
    return 0 if ok else 1


class _NoInsert:
    """Stands in for a connection in the untimed warm-up: no transaction, no INSERT."""

    def transaction(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, *args):
        return None


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, psycopg.Error) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
