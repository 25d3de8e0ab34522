#!/bin/bash
# The README's shared deployment, typed as its administrator would, inside a fresh
# Debian 12 machine booted by host.sh (see README.md beside this file). Runs as the
# user `admin`, who has sudo; every command of the README is copied here as written,
# in order, under a "## README ..." heading. Where a human would type or choose
# something, the substitution is said on the line above it:
#   REPOSITORY      git://HOST_END/glossary.git (host.sh serves it)
#   DB-PASSWORD     generated here; `sudo editor` replaced by sed
#   prompts         createuser --pwprompt and `glossary user add` read a terminal:
#                   script(1) gives them one, the answers come from a pipe
#   nginx           port 8443 (the README's variant), a self-signed certificate at the
#                   path of the README's Let's Encrypt one
#
# Phases (host.sh calls them in this order, pushing the new commit before `upgrade`):
#   walk.sh install    steps 1-7, a sign-in over https://glossary.example.org:8443/
#   walk.sh faults     step 7's promise: PostgreSQL stopped and started again
#   walk.sh operate    backups (timer run by hand, cron line as cron runs it, --keep,
#                      --verify, a tampered archive), secret rotation, reload, logs
#   walk.sh upgrade    Upgrading, following main; then `glossary sessions end --all`
#   walk.sh rollback   Rolling back to the commit noted before the upgrade
# Each check prints "ok: ..." or stops the script with "FAILED: ...".
set -uo pipefail

HOST_END=${HOST_END:-10.231.0.1}
PUBLIC=glossary.example.org
GUEST=${GUEST:-10.231.0.2}
WALK=$HOME/walk                       # units, notes and secrets of this walk
mkdir -p "$WALK"
TIMEFORMAT='(%Rs)'

ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; exit 1; }
readme_block() {  # the README's block of a unit or the nginx site, as tests/ read it
    python3 "$WALK/readme_block.py" "$1"
}
as_service() {  # the README's way of running a glossary command with the settings loaded
    sudo -u glossary sh -c "set -a && . /etc/glossary.env && set +a && .venv/bin/glossary $*"
}
https() {  # curl to the public address, certificate checked against the test's own
    curl -sS --resolve "$PUBLIC:8443:$GUEST" --cacert \
        /etc/letsencrypt/live/$PUBLIC/fullchain.pem -b "$WALK/jar" -c "$WALK/jar" "$@"
}
csrf() { grep -o 'name="csrf_token" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//;s/"$//'; }
sign_in() {
    rm -f "$WALK/jar"
    https "https://$PUBLIC:8443/login" -o "$WALK/login.html"
    https -o /dev/null -w '%{http_code} %{redirect_url}' \
        -H "Referer: https://$PUBLIC:8443/login" \
        --data-urlencode "csrf_token=$(csrf "$WALK/login.html")" \
        --data-urlencode email=you@example.org \
        --data-urlencode "password=$(cat "$WALK/admin-password")" \
        "https://$PUBLIC:8443/login"
}
health() { curl -fsS http://127.0.0.1:8000/health; }

install() {
    echo "## README 1. PostgreSQL"
    sudo apt install -y postgresql >/dev/null 2>&1 || fail "apt install postgresql"
    python3 -c 'import secrets; print(secrets.token_hex(16))' > "$WALK/db-password" 2>/dev/null \
        || od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$WALK/db-password"
    DBPW=$(cat "$WALK/db-password")
    # prompt: the database password, twice
    (sleep 2; echo "$DBPW"; sleep 1; echo "$DBPW"; sleep 1) \
        | script -qec 'sudo -u postgres createuser --pwprompt glossary' /dev/null >/dev/null \
        || fail createuser
    sudo -u postgres createdb --owner glossary glossary || fail createdb
    ok "role and database glossary"

    echo "## README 2. The service user and the app"
    sudo apt install -y git python3-venv >/dev/null 2>&1 || fail "apt install git python3-venv"
    sudo useradd --system --user-group --home-dir /srv/glossary --shell /usr/sbin/nologin glossary
    # REPOSITORY
    sudo git clone "git://$HOST_END/glossary.git" /srv/glossary || fail "git clone"
    sudo mkdir -p /srv/glossary/exports /srv/glossary/instance /var/backups/glossary
    sudo chown -R glossary:glossary /srv/glossary /var/backups/glossary
    sudo chmod 0750 /srv/glossary/exports /srv/glossary/instance /var/backups/glossary
    cd /srv/glossary || fail "cd /srv/glossary"
    sudo -u glossary python3 -m venv .venv || fail venv
    time sudo -u glossary .venv/bin/pip install -q -e '.[postgres]' || fail "pip install"
    sudo -u glossary .venv/bin/glossary translations compile >/dev/null 2>&1 || fail compile
    ok "checkout $(sudo -u glossary git log --format=%h -1), venv, catalogs"

    echo "## README 3. Settings"
    sudo install -m 0640 -o root -g glossary /dev/null /etc/glossary.env
    printf 'SECRET_KEY=%s\n' "$(python3 -c 'import secrets; print(secrets.token_hex(32))')" | sudo tee -a /etc/glossary.env >/dev/null
    sudo tee -a /etc/glossary.env >/dev/null <<'EOF'
GLOSSARY_DATABASE_URL=postgresql://glossary:DB-PASSWORD@127.0.0.1:5432/glossary
GLOSSARY_PRODUCTION=1
GLOSSARY_SECURE_COOKIES=1
GLOSSARY_PROXY_HOPS=1
GLOSSARY_EXPORTS_DIR=/srv/glossary/exports
GLOSSARY_WORKERS=4
EOF
    # sudo editor /etc/glossary.env: the database password in place of DB-PASSWORD
    sudo sed -i "s/DB-PASSWORD/$DBPW/" /etc/glossary.env
    ok "/etc/glossary.env $(sudo stat -c '%a %U:%G' /etc/glossary.env)"

    echo "## README 4. Schema, starter concepts and the first admin"
    cd /srv/glossary
    sudo -u glossary sh -c 'set -a && . /etc/glossary.env && set +a && .venv/bin/glossary init' || fail init
    sudo -u glossary sh -c 'set -a && . /etc/glossary.env && set +a && .venv/bin/glossary import data/terms' | tail -1 || fail import
    python3 -c 'import secrets; print(secrets.token_urlsafe(12))' > "$WALK/admin-password"
    # prompt: the admin's password, twice
    (sleep 3; cat "$WALK/admin-password"; sleep 1; cat "$WALK/admin-password"; sleep 2) \
        | script -qec "sudo -u glossary sh -c 'set -a && . /etc/glossary.env && set +a && .venv/bin/glossary user add --name \"Your Name\" --email you@example.org --roles admin,trainer'" /dev/null \
        | grep -a Added || fail "user add"

    echo "## README 5. gunicorn as a service"
    readme_block glossary.service | sudo tee /etc/systemd/system/glossary.service >/dev/null
    time (sudo systemctl daemon-reload && sudo systemctl enable --now glossary) || fail "enable --now"

    echo "## README 6. Reverse proxy with HTTPS"
    sudo apt install -y nginx curl >/dev/null 2>&1 || fail "apt install nginx curl"
    # a self-signed certificate where the README's Let's Encrypt one would be
    sudo mkdir -p /etc/letsencrypt/live/$PUBLIC
    sudo openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=$PUBLIC" \
        -addext "subjectAltName=DNS:$PUBLIC" \
        -keyout /etc/letsencrypt/live/$PUBLIC/privkey.pem \
        -out /etc/letsencrypt/live/$PUBLIC/fullchain.pem 2>/dev/null || fail openssl
    # port 8443: the README's `listen 8443 ssl;` and `return 301 https://$host:8443...`
    readme_block nginx | sed -e 's/listen 443 ssl; .*/listen 8443 ssl;/' \
        -e 's|return 301 https://$host$request_uri;|return 301 https://$host:8443$request_uri;|' \
        | sudo tee /etc/nginx/sites-available/glossary >/dev/null
    sudo ln -s /etc/nginx/sites-available/glossary /etc/nginx/sites-enabled/glossary
    sudo nginx -t 2>/dev/null && sudo systemctl reload nginx || fail "nginx -t"

    echo "## README 7. Check"
    H=$(health) || fail "health: $H"
    ok "health $H"
    R=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$PUBLIC:80:$GUEST" "http://$PUBLIC/concepts")
    [ "$R" = "301 https://$PUBLIC:8443/concepts" ] || fail "port 80 redirect: $R"
    ok "http://$PUBLIC/concepts -> $R"
    R=$(sign_in)
    [ "$R" = "302 https://$PUBLIC:8443/" ] || fail "sign-in: $R"
    ok "signed in over https://$PUBLIC:8443/ ($R)"
    R=$(https -o "$WALK/people.html" -w '%{http_code}' "https://$PUBLIC:8443/admin/people")
    [ "$R" = 200 ] && grep -q you@example.org "$WALK/people.html" || fail "admin page: $R"
    ok "/admin/people as the admin: $R"
}

operate() {
    cd /srv/glossary
    echo "## README Backups: the timer"
    readme_block glossary-backup.service | sudo tee /etc/systemd/system/glossary-backup.service >/dev/null
    readme_block glossary-backup.timer | sudo tee /etc/systemd/system/glossary-backup.timer >/dev/null
    sudo systemctl daemon-reload && sudo systemctl enable --now glossary-backup.timer 2>/dev/null
    systemctl list-timers glossary-backup.timer --no-pager | head -2
    # the night's run, started by hand as the timer would start it
    time sudo systemctl start glossary-backup.service || fail "backup service"
    sudo journalctl -u glossary-backup --no-pager -o cat | grep -a '^Verified' | tail -1
    sudo sh -c 'stat -c "%a %U:%G %s %n" /var/backups/glossary/glossary-*.zip'
    M=$(sudo sh -c 'stat -c %a /var/backups/glossary/glossary-*.zip' | sort -u)
    [ "$M" = 600 ] || fail "archive modes: $M"
    ok "archive mode 0600"
    for _ in $(seq 15); do sudo systemctl start glossary-backup.service || fail backup; done
    N=$(sudo sh -c 'ls /var/backups/glossary | wc -l')
    [ "$N" = 14 ] || fail "--keep 14 left $N"
    ok "16 runs with --keep 14 leave $N archives"

    echo "## README Backups: the cron line, run as cron runs it"
    CMD=$(python3 "$WALK/readme_block.py" cron | cut -d' ' -f7-)
    sudo -u glossary env -i HOME=/srv/glossary LOGNAME=glossary SHELL=/bin/sh PATH=/usr/bin:/bin \
        /bin/sh -c "$CMD" > "$WALK/cron.log" 2>&1 || fail "cron line"
    tail -1 "$WALK/cron.log"
    N=$(sudo sh -c 'ls /var/backups/glossary | wc -l')
    [ "$N" = 14 ] || fail "cron --keep 14 left $N"
    ok "cron line: backup, --keep 14 ($N), --verify"
    LATEST=$(sudo sh -c 'ls -1 /var/backups/glossary/glossary-*.zip | tail -n 1')
    sudo -u glossary .venv/bin/python "$WALK/tamper.py" "$LATEST" /tmp/tampered.zip
    if as_service backup --verify /tmp/tampered.zip > "$WALK/tampered.log" 2>&1; then
        fail "--verify passed a tampered archive"
    fi
    ok "--verify of a tampered archive: $(tail -1 "$WALK/tampered.log")"

    echo "## README Secrets: rotation"
    sign_in >/dev/null
    https "https://$PUBLIC:8443/profile" -o "$WALK/open-form.html"
    BEFORE=$(sudo sha256sum /etc/glossary.env | cut -c1-12)
    sudo sed -i '/^SECRET_KEY=/d' /etc/glossary.env
    printf 'SECRET_KEY=%s\n' "$(python3 -c 'import secrets; print(secrets.token_hex(32))')" | sudo tee -a /etc/glossary.env >/dev/null
    time sudo systemctl restart glossary
    ok "env file $(sudo stat -c '%a %U:%G' /etc/glossary.env), $BEFORE -> $(sudo sha256sum /etc/glossary.env | cut -c1-12)"
    R=$(https -o /dev/null -w '%{http_code}' "https://$PUBLIC:8443/concepts")
    [ "$R" = 200 ] || fail "session after rotation: $R"
    ok "the session goes on after the rotation ($R)"
    post_language() {
        https -o "$WALK/posted.html" -w '%{http_code}' -H "Referer: https://$PUBLIC:8443/profile" \
            --data-urlencode "csrf_token=$(csrf "$1")" -d next=/profile -d ui_locale=en \
            "https://$PUBLIC:8443/interface-language"
    }
    R=$(post_language "$WALK/open-form.html")
    [ "$R" = 400 ] && grep -q 'Your form expired' "$WALK/posted.html" || fail "old form: $R"
    ok "a form left open is refused once ($R, 'Your form expired ...')"
    https "https://$PUBLIC:8443/profile" -o "$WALK/reloaded.html"
    R=$(post_language "$WALK/reloaded.html")
    [ "$R" = 302 ] || fail "reloaded form: $R"
    ok "and works after a reload ($R)"

    echo "## systemctl reload (HUP)"
    BEFORE=$(pgrep -u glossary -f gunicorn | sort | tr '\n' ' ')
    time sudo systemctl reload glossary
    sleep 8
    AFTER=$(pgrep -u glossary -f gunicorn | sort | tr '\n' ' ')
    ok "processes before: $BEFORE; after: $AFTER; $(health)"

    echo "## README Logs"
    journalctl -u glossary --no-pager 2>&1 | head -1
    sudo journalctl -u glossary --no-pager --since today | grep -a glossary.security | tail -2
    sudo journalctl -u glossary --no-pager --since today | grep -a glossary.request | tail -1
}

upgrade() {
    echo "## README Upgrading (following main)"
    cd /srv/glossary
    sudo -u glossary sh -c 'set -a && . /etc/glossary.env && set +a && .venv/bin/glossary backup /var/backups/glossary/' | tail -1
    sudo -u glossary .venv/bin/glossary --version | tee "$WALK/version-before"
    sudo -u glossary git fetch --tags && sudo -u glossary git checkout main && sudo -u glossary git pull --ff-only || fail "git pull"
    time (sudo -u glossary .venv/bin/pip install -q -e '.[postgres]' && sudo -u glossary .venv/bin/glossary translations compile >/dev/null 2>&1) || fail pip
    sudo -u glossary sh -c 'set -a && . /etc/glossary.env && set +a && .venv/bin/glossary init' || fail init
    time sudo systemctl restart glossary
    H=$(curl -fsS http://127.0.0.1:8000/health) || fail "health right after restart: $H"
    ok "health right after restart: $H"
    R=$(sign_in)
    [ "$R" = "302 https://$PUBLIC:8443/" ] || fail "sign-in after upgrade: $R"
    echo "## README Secrets: glossary sessions end --all"
    as_service sessions end --all 2>&1 | grep -a 'Ended' || fail "sessions end"
    R=$(https -o /dev/null -w '%{http_code} %{redirect_url}' "https://$PUBLIC:8443/concepts")
    case "$R" in 302*login*) ok "signed out by the command: $R" ;; *) fail "still in: $R" ;; esac
}

rollback() {
    echo "## README Rolling back"
    cd /srv/glossary
    OLD=$(sed 's/.*+g//' "$WALK/version-before")
    ARCHIVE=$(sudo sh -c 'ls -1 /var/backups/glossary/glossary-*.zip | tail -n 1')
    sudo systemctl stop glossary
    sudo -u glossary git checkout "$OLD" && sudo -u glossary .venv/bin/pip install -q -e '.[postgres]' && sudo -u glossary .venv/bin/glossary translations compile >/dev/null 2>&1 || fail "checkout $OLD"
    sudo -u postgres dropdb glossary && sudo -u postgres createdb --owner glossary glossary
    sudo -u glossary sh -c "set -a && . /etc/glossary.env && set +a && .venv/bin/glossary restore $ARCHIVE" | tail -1 || fail restore
    sudo systemctl start glossary
    H=$(curl -fsS http://127.0.0.1:8000/health) || fail "health after rollback: $H"
    ok "rolled back to $OLD: $H"
    R=$(sign_in)
    [ "$R" = "302 https://$PUBLIC:8443/" ] || fail "sign-in after rollback: $R"
    ok "signed in after the rollback"
}

faults() {
    echo "## README 7. Check: the database away and back"
    sudo systemctl stop postgresql
    # Debian's postgresql.service stands for the clusters; its stop returns before
    # postgresql@15-main's has finished: wait for the server to be gone.
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 || break; sleep 1; done
    R=$(curl -sS -w ' %{http_code}' http://127.0.0.1:8000/health)
    case "$R" in *'"database":"unreachable"'*' 503') ok "health without the database: $R" ;;
        *) fail "health without the database: $R" ;; esac
    R=$(https -o "$WALK/away.html" -w '%{http_code}' "https://$PUBLIC:8443/concepts")
    [ "$R" = 503 ] && grep -qi 'temporarily unavailable' "$WALK/away.html" \
        && ! grep -qi 'psycopg\|traceback' "$WALK/away.html" || fail "page without the database: $R"
    ok "a page without the database: $R, 'temporarily unavailable', no technical details"
    sudo systemctl start postgresql
    H=$(health) || fail "health after the database came back: $H"
    ok "database back: $H"
    sudo journalctl -u glossary --no-pager --since '-2min' | grep -a glossary.database | tail -2
}

"$@"
