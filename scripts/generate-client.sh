#!/usr/bin/env bash
# Regenerates src/CommentService.Client/Generated/CommentServiceClient.g.cs from openapi.yaml with the NSwag tool
# pinned in dotnet-tools.json (settings: src/CommentService.Client/nswag.json). Run scripts/openapi.sh first when the
# API changed. The test suite fails when the committed client differs from what this script generates.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet tool run nswag run src/CommentService.Client/nswag.json >/dev/null
echo "wrote src/CommentService.Client/Generated/CommentServiceClient.g.cs"
