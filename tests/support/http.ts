/** A small HTTP client for tests: form posts, cookies, no automatic redirects. */
export class Client {
  private cookies = new Map<string, string>()
  constructor(readonly base: string, private readonly defaults: Record<string, string> = {}) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    for (const [k, v] of Object.entries(this.defaults)) if (!headers.has(k)) headers.set(k, v)
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const url = path.startsWith('http') ? path : `${this.base}${path}`
    const res = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...value] = pair.split('=')
      this.cookies.set(name.trim(), value.join('='))
    }
    return res
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers })
  }

  post(path: string, form: Record<string, string> | URLSearchParams | string, headers: Record<string, string> = {}) {
    const body = typeof form === 'string' || form instanceof URLSearchParams ? form : new URLSearchParams(form)
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.base, ...headers },
    })
  }
}

/** The path and query of a Location header. */
export function locationOf(res: Response): string {
  const location = res.headers.get('Location')
  if (!location) throw new Error(`No Location header (status ${res.status})`)
  const u = new URL(location, 'http://x')
  return `${u.pathname}${u.search}`
}
