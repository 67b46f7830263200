#!/usr/bin/env bash
# Regenerates openapi.yaml from the code (no database needed). The test suite fails when the
# committed file differs from what the code generates.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/CommentService.Api -c Release -v quiet -nologo >/dev/null
dotnet src/CommentService.Api/bin/Release/net10.0/CommentService.Api.dll --export-openapi "$PWD/openapi.yaml" >/dev/null
echo "wrote openapi.yaml"
