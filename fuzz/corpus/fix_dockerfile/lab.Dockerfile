# Deliberately vulnerable image for the bulwark lab: DO NOT DEPLOY.
# Every weakness is seeded on purpose; WEAKNESSES.md lists them by line.
FROM bulwark-lab/python-flask:bookworm

WORKDIR /app
COPY . /app

EXPOSE 5000

CMD python3 app.py
