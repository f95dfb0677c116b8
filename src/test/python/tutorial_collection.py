"""The Milvus text-to-image tutorial's own calls, for tests of collections that clip-search did not make (issue 24).

    create   --uri U --collection C --rows ROWS.json [--layout tutorial|custom] [--metric L2|IP|COSINE]
             makes the collection and inserts the rows ([{"vector": [...], "filepath": "..."}]):
             layout tutorial: exactly the tutorial's MilvusClient.create_collection(dimension=..., auto_id=True,
             enable_dynamic_field=True, metric_type="COSINE") and insert([{"vector", "filepath"}]);
             layout custom: another team's schema: Int64 key "pk" of its own, "embedding", VarChar "path", HNSW
             with --metric (default L2).
    search   --uri U --collection C --queries Q.json --k K [--layout ...]
             the tutorial's client.search(..., output_fields=["filepath"]) for each query vector;
             prints [[{"id", "distance", "filepath"}, ...], ...]
    snapshot --uri U --collection C [--layout ...]
             row count and a SHA-256 over every row (id, path, vector as float32), ordered by id

--uri is a local file (Milvus Lite, as the tutorial opens it) or http://host:port (--token for a server).
Prints one JSON document on stdout.
"""

import argparse
import hashlib
import json
import struct
import sys

from pymilvus import DataType, MilvusClient


def fields(layout):
    return ("pk", "embedding", "path") if layout == "custom" else ("id", "vector", "filepath")


def create(client, a, rows):
    if a.layout == "tutorial":
        # The tutorial's calls, unchanged but for the name and the dimension.
        client.create_collection(collection_name=a.collection, dimension=len(rows[0]["vector"]), auto_id=True,
                                 enable_dynamic_field=True, metric_type="COSINE")
        for start in range(0, len(rows), 1000):  # the tutorial inserts as it embeds; one call per 1000 rows here
            client.insert(collection_name=a.collection, data=rows[start:start + 1000])
        return
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("pk", DataType.INT64, is_primary=True)
    schema.add_field("embedding", DataType.FLOAT_VECTOR, dim=len(rows[0]["vector"]))
    schema.add_field("path", DataType.VARCHAR, max_length=1024)
    index = client.prepare_index_params()
    index.add_index(field_name="embedding", index_type="HNSW", metric_type=a.metric,
                    params={"M": 8, "efConstruction": 64})
    client.create_collection(collection_name=a.collection, schema=schema, index_params=index)
    client.insert(collection_name=a.collection,
                  data=[{"pk": 1000 + i, "embedding": r["vector"], "path": r["filepath"]} for i, r in enumerate(rows)])


def search(client, a, queries):
    _, vector, path = fields(a.layout)
    res = client.search(collection_name=a.collection, data=queries, limit=a.k, output_fields=[path],
                        anns_field=vector)
    # Hit.id is the primary key whatever its name (the dict's key for it differs between Lite and a server)
    return [[{"id": h.id, "distance": h["distance"], "filepath": h["entity"][path]} for h in hits] for hits in res]


def snapshot(client, a):
    key, vector, path = fields(a.layout)
    it = client.query_iterator(collection_name=a.collection, batch_size=1000, output_fields=[key, vector, path])
    rows = []
    while True:
        page = it.next()
        if not page:
            it.close()
            break
        rows.extend(page)
    rows.sort(key=lambda r: r[key])
    digest = hashlib.sha256()
    for r in rows:
        digest.update(struct.pack("<q", r[key]))
        digest.update(r[path].encode() + b"\0")
        digest.update(struct.pack("<%df" % len(r[vector]), *r[vector]))
    return {"count": len(rows), "sha256": digest.hexdigest()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["create", "search", "snapshot"])
    p.add_argument("--uri", required=True)
    p.add_argument("--token", default="")
    p.add_argument("--collection", required=True)
    p.add_argument("--layout", choices=["tutorial", "custom"], default="tutorial")
    p.add_argument("--metric", choices=["L2", "IP", "COSINE"], default="L2", help="the custom layout's metric")
    p.add_argument("--rows")
    p.add_argument("--queries")
    p.add_argument("--k", type=int, default=10)
    a = p.parse_args()
    client = MilvusClient(uri=a.uri, token=a.token) if a.token else MilvusClient(uri=a.uri)
    if a.command != "create":
        # The tutorial searches in the session that made the collection, where it is loaded; Milvus Lite forgets the
        # load state when its process ends. Loading reads, it changes no row.
        client.load_collection(collection_name=a.collection)
    if a.command == "create":
        with open(a.rows) as f:
            create(client, a, json.load(f))
        out = {"created": a.collection}
    elif a.command == "search":
        with open(a.queries) as f:
            out = search(client, a, json.load(f))
    else:
        out = snapshot(client, a)
    client.close()
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
