"""The yardstick: a bare Flask endpoint, served exactly like the platform."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/bare")
def bare():
    return jsonify(id=1, name="bare", items=[1, 2, 3])


@app.route("/bare", methods=["PUT", "POST"])
def bare_write():
    return jsonify(ok=True)
