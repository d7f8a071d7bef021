import asyncio

from rooms import RESYNC, Connection, Hub


def test_each_connection_gets_its_own_rendered_message() -> None:
    async def scenario() -> None:
        hub = Hub()
        a = Connection("e1", "a")
        b = Connection("e1", "b")
        org = Connection("e1", None)
        other = Connection("e2", "x")
        for c in (a, b, org, other):
            hub.register(c)
        sent = hub.send("e1", lambda c: None if c.is_organiser else f"room-of-{c.participant_id}")
        assert sent == 2
        assert await a.next() == "room-of-a"
        assert await b.next() == "room-of-b"
        assert org.pending() == 0
        assert other.pending() == 0
        assert hub.connected_participants("e1") == {"a", "b"}
        hub.unregister(a)
        assert hub.connected_participants("e1") == {"b"}
        assert hub.count() == 3

    asyncio.run(scenario())


def test_a_slow_client_is_collapsed_to_one_resync_not_an_unbounded_backlog() -> None:
    async def scenario() -> None:
        conn = Connection("e1", "a", queue_size=4)
        for i in range(10):
            conn.push(f"m{i}")
        items = [await conn.next() for _ in range(conn.pending())]
        # The backlog was dropped for one resync marker; later messages follow it in order.
        assert RESYNC in items
        assert len(items) <= 4
        assert items[-1] == "m9"
        assert conn.dropped > 0

    asyncio.run(scenario())
