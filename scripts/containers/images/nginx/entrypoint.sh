#!/bin/sh
# Mirrors the official image: /etc/nginx/templates/*.template are rendered into conf.d with
# the environment's variables (only those defined, so nginx's own $variables survive).
set -e
if [ "$1" = nginx ] && [ -d /etc/nginx/templates ]; then
  defined=$(printf '${%s} ' $(env | cut -d= -f1))
  for tpl in /etc/nginx/templates/*.template; do
    [ -f "$tpl" ] || continue
    out="/etc/nginx/conf.d/$(basename "$tpl" .template)"
    envsubst "$defined" <"$tpl" >"$out"
  done
fi
exec "$@"
