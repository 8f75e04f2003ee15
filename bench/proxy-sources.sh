#!/usr/bin/env bash
# Makes the benchmark's 1080p H.264 sources once (cached): 4 x 45 s, each a different picture
# and tone, camera-like settings (CRF 20, 2 s GOP with B-frames), AAC stereo 48 kHz.
set -euo pipefail
DIR="${1:?usage: proxy-sources.sh DIR}"
mkdir -p "$DIR"
looks=(null "hue=h=120:s=1.4" negate "hue=h=240,vflip")
for i in 0 1 2 3; do
  out="$DIR/src$i.mp4"
  [ -s "$out" ] && continue
  ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=s=1920x1080:r=30:d=45,${looks[$i]}" \
    -f lavfi -i "sine=f=$((220 + 110 * i)):d=45:sample_rate=48000" \
    -c:v libx264 -preset veryfast -crf 20 -g 60 -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 \
    -movflags +faststart "$DIR/.tmp-src$i.mp4"
  mv "$DIR/.tmp-src$i.mp4" "$out"
done
