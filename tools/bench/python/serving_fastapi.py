"""Reference scorer for `npm run bench -- serving`: FastAPI + uvicorn (one worker) serving scikit-learn's
DecisionTreeClassifier trained on breast_cancer, behind POST /invocations.

Run with Debian's /usr/bin/python3 (python3-fastapi, python3-uvicorn, python3-sklearn; python3-uvloop and
python3-httptools when installed). Set up at its best: the model is fitted once at start-up; uvicorn's access log
is off and its log level is `warning`; the uvloop event loop and the httptools parser are used when importable
(uvicorn's `auto` picks them); the handler reads the raw body and parses it with json.loads instead of a pydantic
model (pydantic v1 validation of 30 floats costs more than the tree), checks the row length, and answers the
class and its probabilities as JSON text it builds itself. orjson is not packaged by Debian bookworm, so the
stdlib json module is used.

Body: {"inputs": [[30 floats], ...]}; answer: {"predictions": [...], "probabilities": [[p0, p1], ...]}.
Prints `READY <port> loop=<...> http=<...>` on stdout once listening.
"""

import json
import sys

import numpy as np
import uvicorn
from fastapi import FastAPI, Request, Response
from sklearn.datasets import load_breast_cancer
from sklearn.tree import DecisionTreeClassifier


def main() -> None:
    port = int(sys.argv[1])
    data = load_breast_cancer()
    model = DecisionTreeClassifier(random_state=3).fit(data.data, data.target)
    n_features = data.data.shape[1]
    classes = [int(c) for c in model.classes_]
    app = FastAPI()

    @app.post("/invocations")
    async def invocations(request: Request) -> Response:
        try:
            rows = json.loads(await request.body())["inputs"]
            x = np.asarray(rows, dtype=np.float64)
        except (ValueError, KeyError, TypeError):
            return Response('{"error":"body.inputs: expected rows of numbers"}', status_code=400, media_type="application/json")
        if x.ndim != 2 or x.shape[1] != n_features or x.shape[0] == 0:
            return Response('{"error":"body.inputs: expected rows of %d numbers"}' % n_features, status_code=400, media_type="application/json")
        proba = model.predict_proba(x)
        predictions = [classes[i] for i in proba.argmax(axis=1)]
        body = json.dumps({"predictions": predictions, "probabilities": proba.tolist()})
        return Response(body, media_type="application/json")

    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    try:
        import httptools  # noqa: F401

        http = "httptools"
    except ImportError:
        http = "h11"
    config = uvicorn.Config(app, host="127.0.0.1", port=port, workers=1, loop=loop, http=http, access_log=False, log_level="warning")
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:
            await __import__("asyncio").sleep(0.05)
        print(f"READY {port} loop={loop} http={http} fastapi={__import__('fastapi').__version__} uvicorn={uvicorn.__version__}", flush=True)

    async def serve() -> None:
        import asyncio

        task = asyncio.ensure_future(announce())
        await server.serve()
        task.cancel()

    if loop == "uvloop":
        import uvloop

        uvloop.install()
    import asyncio

    asyncio.run(serve())


if __name__ == "__main__":
    main()
