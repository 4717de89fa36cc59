import httpx

from tests.support import Company


async def test_status_lists_components(client: httpx.AsyncClient, company: Company) -> None:
    response = await client.get("/v1/status")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["components"]] == ["baggage", "flights-ord"]
