#!/usr/bin/env bash
# Reproduce sitroom/web/static/vendor/: fetch the page's JS/CSS/data from the npm registry into a
# temporary directory and copy only the files the page needs, under versioned names. Also writes
# the ISO3 -> ISO 3166-1 numeric table the map uses (from countryinfo, MIT, a build dependency).
#
#   tools/vendor_web.sh            # needs npm and network; run from the repository root
#
# Versions are pinned here; bump one, rerun, then update sitroom/web/static/vendor/VENDORED.md and
# the file names in VENDOR (sitroom/web/pages.py).
set -euo pipefail

LEAFLET=1.9.4
MARKERCLUSTER=1.5.3
CYTOSCAPE=3.35.0
HTMX=2.0.11
TOPOJSON=3.1.0
WORLD_ATLAS=2.0.2

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/sitroom/web/static/vendor"
TMP="$(mktemp -d /tmp/sitroom-vendor.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

npm install --prefix "$TMP" --no-save --no-audit --no-fund --ignore-scripts --no-package-lock \
    "leaflet@$LEAFLET" "leaflet.markercluster@$MARKERCLUSTER" "cytoscape@$CYTOSCAPE" \
    "htmx.org@$HTMX" "topojson-client@$TOPOJSON" "world-atlas@$WORLD_ATLAS" >/dev/null
NM="$TMP/node_modules"

mkdir -p "$OUT/images"
rm -f "$OUT"/*.js "$OUT"/*.css "$OUT"/*.json "$OUT"/images/*.png

cp "$NM/leaflet/dist/leaflet.js" "$OUT/leaflet-$LEAFLET.js"
cp "$NM/leaflet/dist/leaflet.css" "$OUT/leaflet-$LEAFLET.css"
# leaflet.css refers to images/layers.png etc. relative to itself
cp "$NM/leaflet/dist/images/"*.png "$OUT/images/"
cp "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" "$OUT/leaflet.markercluster-$MARKERCLUSTER.js"
cp "$NM/leaflet.markercluster/dist/MarkerCluster.css" "$OUT/MarkerCluster-$MARKERCLUSTER.css"
cp "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" "$OUT/MarkerCluster.Default-$MARKERCLUSTER.css"
cp "$NM/cytoscape/dist/cytoscape.min.js" "$OUT/cytoscape-$CYTOSCAPE.min.js"
cp "$NM/htmx.org/dist/htmx.min.js" "$OUT/htmx-$HTMX.min.js"
cp "$NM/topojson-client/dist/topojson-client.min.js" "$OUT/topojson-client-$TOPOJSON.min.js"
cp "$NM/world-atlas/countries-110m.json" "$OUT/countries-110m-$WORLD_ATLAS.json"

for pkg in leaflet leaflet.markercluster cytoscape htmx.org topojson-client world-atlas; do
    lic=$(ls "$NM/$pkg" | grep -i -m1 -E 'licen[cs]e' || true)
    [ -n "$lic" ] && cp "$NM/$pkg/$lic" "$OUT/LICENSE.$pkg.txt"
done

# ISO3 -> ISO 3166-1 numeric (the world-atlas feature ids), from countryinfo's data.
PY="${PYTHON:-$ROOT/.venv/bin/python}"
"$PY" - "$OUT/iso3-numeric.json" <<'EOF'
import json, pathlib, sys
import countryinfo
table = {}
for path in sorted((pathlib.Path(countryinfo.__file__).parent / "data").glob("*.json")):
    info = json.loads(path.read_text(encoding="utf-8"))
    iso = info.get("ISO") or {}
    if iso.get("alpha3") and iso.get("numeric"):
        table[iso["alpha3"].upper()] = str(iso["numeric"]).zfill(3)
# Kosovo has no ISO numeric code; Natural Earth (and world-atlas) leave its id empty.
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(dict(sorted(table.items())), fh, separators=(",", ":"))
    fh.write("\n")
print(f"iso3-numeric.json: {len(table)} countries")
EOF
ls -la "$OUT"
