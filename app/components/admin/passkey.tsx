import { startAuthentication, startRegistration, browserSupportsWebAuthn } from '@simplewebauthn/browser'
import { useEffect, useState } from 'react'

/** The server's answer; `options` is what @simplewebauthn/server generated for the step asked (T). */
async function post<T = undefined>(body: unknown) {
  const res = await fetch('/admin/passkey', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' })
  const data = (await res.json().catch(() => ({}))) as { error?: string; options: T; redirectTo?: string }
  if (!res.ok) throw new Error(data.error ?? 'The passkey was not accepted.')
  return data
}

/** Shown only where the browser runs scripts and has WebAuthn: the rest of the page works without. */
function useWebAuthn() {
  const [supported, setSupported] = useState(false)
  useEffect(() => setSupported(browserSupportsWebAuthn()), [])
  return supported
}

/** Signs in with a passkey (after the password, or instead of it), then goes to `redirectTo`. */
export function PasskeySignIn({ redirectTo, label }: { redirectTo: string; label: string }) {
  const supported = useWebAuthn()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  if (!supported) return null
  return (
    <div className="passkey">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          setError(null)
          try {
            const { options } = await post<Parameters<typeof startAuthentication>[0]['optionsJSON']>({ intent: 'sign-in-options' })
            const response = await startAuthentication({ optionsJSON: options })
            const done = await post({ intent: 'sign-in', response, redirectTo })
            window.location.assign(done.redirectTo ?? '/admin')
          } catch (e) {
            setError(e instanceof Error && e.name !== 'NotAllowedError' ? e.message : 'The passkey sign-in was cancelled or timed out.')
            setBusy(false)
          }
        }}
      >
        {label}
      </button>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** Adds a passkey to the signed-in organiser's account, then reloads the account page. */
export function AddPasskey() {
  const supported = useWebAuthn()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  if (!supported) return <p className="hint">Adding a passkey needs a browser with JavaScript and passkey support.</p>
  return (
    <div className="passkey">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          setError(null)
          try {
            const { options } = await post<Parameters<typeof startRegistration>[0]['optionsJSON']>({ intent: 'register-options' })
            const response = await startRegistration({ optionsJSON: options })
            await post({ intent: 'register', response })
            window.location.assign('/admin/account?added=passkey')
          } catch (e) {
            setError(e instanceof Error && e.name !== 'NotAllowedError' ? e.message : 'Adding the passkey was cancelled or timed out.')
            setBusy(false)
          }
        }}
      >
        Add a passkey
      </button>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}
