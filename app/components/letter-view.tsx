import type { LetterDocument } from '~/letters/text'

/** A letter as HTML: each language version with its own lang and direction. */
export function LetterView({ doc, qrSvg }: { doc: LetterDocument; qrSvg?: string }) {
  return (
    <>
      {doc.letters.map((l, i) => (
        <article key={l.lang} lang={l.lang} dir={l.dir} className="letter">
          {i > 0 ? (
            <h2 lang="en" dir="ltr">
              English copy
            </h2>
          ) : null}
          {l.sender?.length ? (
            <p className="letter-meta">
              {l.sender.map((line, j) => (
                <span key={j} className="line">
                  {line}
                </span>
              ))}
            </p>
          ) : null}
          <address>
            {l.address.map((line, j) => (
              <span key={j} className="line">
                {line}
              </span>
            ))}
          </address>
          <p className="letter-meta">
            {l.dateLine}
            <br />
            {l.referenceLine}
          </p>
          <p className="letter-subject">{l.subject}</p>
          <p>{l.salutation}</p>
          {l.paragraphs.map((p, j) => (
            <p key={j}>{p}</p>
          ))}
          <p>{l.askIntro}</p>
          <ol>
            {l.askItems.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ol>
          {l.afterAsk.map((p, j) => (
            <p key={j}>{p}</p>
          ))}
          <p>{l.closing}</p>
          <p>
            {l.signatory.map((line, j) => (
              <span key={j} className="line">
                {line}
              </span>
            ))}
          </p>
          {i === 0 && qrSvg ? <img className="qr" alt="QR code of the verification page" src={`data:image/svg+xml;base64,${qrSvg}`} /> : null}
          {l.annexTitle === null ? null : (
            <section className="annex">
              <h3>{l.annexTitle}</h3>
              <p>{l.annexIntro}</p>
              {l.names.length ? <p className="names">{l.names.join(' · ')}</p> : null}
              {l.othersLine ? <p>{l.othersLine}</p> : null}
            </section>
          )}
        </article>
      ))}
    </>
  )
}
