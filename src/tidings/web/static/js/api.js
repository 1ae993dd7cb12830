// Fetching JSON from the local API. Each view keeps its own AbortController, so a newer
// filter change cancels the requests of the older one instead of racing it.

export class ApiError extends Error {}

/** GET `path` with `params` (URLSearchParams); rejects with the API's own message. */
export async function getJSON(path, params, signal) {
  const query = params && params.toString();
  const response = await fetch(query ? `${path}?${query}` : path, {
    signal,
    headers: { Accept: "application/json" },
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    throw new ApiError(message);
  }
  return body;
}

/** A loader that aborts its previous request whenever it starts a new one. */
export function latest() {
  let controller = null;
  return (path, params) => {
    if (controller) controller.abort();
    controller = new AbortController();
    return getJSON(path, params, controller.signal);
  };
}

export function isAbort(error) {
  return error && error.name === "AbortError";
}
