"""CNN reference scorer for `npm run bench -- serving`: the digits CNN's architecture in PyTorch behind FastAPI + uvicorn
(one worker), POST /invocations.

The network is Slipway's CnnClassifier (libs/ml/algorithms/src/neural/cnn-classifier.ts) layer for layer: conv 3x3
'same' (filters[0]) + ReLU, max-pool 2, conv (filters[1]) + ReLU, max-pool 2, conv (filters[2]) + ReLU, flatten,
dense (dense units) + ReLU, dropout (inactive at inference), dense softmax over the classes; the per-channel
standardisation of the input (mean / scale) first, as ours does. Its weights are PyTorch's default initialisation
(seeded): latency depends on the shapes, not on the values. Run with Debian's /usr/bin/python3 (python3-torch,
python3-fastapi, python3-uvicorn; python3-uvloop and python3-httptools when installed), torch on one thread in
inference mode (the bench VM has 2 cores, shared with the load generator and the database).

Body: {"inputs": [image, ...]} with each image nested H x W x C or flat H*W*C pixel values 0..255; answer:
{"predictions": [...], "probabilities": [[...], ...]}. Prints `READY <port> ...` on stdout once listening.
Usage: serving_cnn_torch.py <port> <height> <width> <channels> <classes> <f0,f1,f2> <dense units> <mean> <scale>
"""

import asyncio
import json
import sys

import numpy as np
import torch
import uvicorn
from fastapi import FastAPI, Request, Response
from torch import nn


def build(channels: int, height: int, width: int, classes: int, filters: list, dense: int) -> nn.Module:
    final_h, final_w = height // 2 // 2, width // 2 // 2
    return nn.Sequential(
        nn.Conv2d(channels, filters[0], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(filters[0], filters[1], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(filters[1], filters[2], 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(filters[2] * final_h * final_w, dense), nn.ReLU(), nn.Dropout(0.25), nn.Linear(dense, classes),
        nn.Softmax(dim=1),
    )


def main() -> None:
    port, height, width, channels, classes = (int(a) for a in sys.argv[1:6])
    filters = [int(f) for f in sys.argv[6].split(",")]
    dense = int(sys.argv[7])
    mean, scale = float(sys.argv[8]), float(sys.argv[9])
    torch.manual_seed(7)
    torch.set_num_threads(1)
    model = build(channels, height, width, classes, filters, dense).eval()
    labels = [str(c) for c in range(classes)]
    per_image = height * width * channels
    app = FastAPI()

    @app.post("/invocations")
    async def invocations(request: Request) -> Response:
        try:
            x = np.asarray(json.loads(await request.body())["inputs"], dtype=np.float32)
        except (ValueError, KeyError, TypeError):
            return Response('{"error":"body.inputs: expected images of numbers"}', status_code=400, media_type="application/json")
        if x.ndim == 0 or x.shape[0] == 0 or x.size != x.shape[0] * per_image:
            return Response('{"error":"body.inputs: expected %dx%dx%d images"}' % (height, width, channels), status_code=400, media_type="application/json")
        if x.min() < 0 or x.max() > 255:
            return Response('{"error":"body.inputs: pixel values are 0..255"}', status_code=400, media_type="application/json")
        x = ((x.reshape(-1, height, width, channels) - mean) / scale).transpose(0, 3, 1, 2)
        with torch.inference_mode():
            proba = model(torch.from_numpy(np.ascontiguousarray(x))).numpy()
        predictions = [labels[i] for i in proba.argmax(axis=1)]
        return Response(json.dumps({"predictions": predictions, "probabilities": proba.tolist()}), media_type="application/json")

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
            await asyncio.sleep(0.05)
        print(
            f"READY {port} torch={torch.__version__} threads={torch.get_num_threads()} loop={loop} http={http} "
            f"fastapi={__import__('fastapi').__version__} uvicorn={uvicorn.__version__}",
            flush=True,
        )

    async def serve() -> None:
        task = asyncio.ensure_future(announce())
        await server.serve()
        task.cancel()

    if loop == "uvloop":
        import uvloop

        uvloop.install()
    asyncio.run(serve())


if __name__ == "__main__":
    main()
