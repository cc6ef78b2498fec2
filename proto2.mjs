import React from 'react'
import { Document, Page, Text, Font, renderToBuffer } from '@react-pdf/renderer'
const nm = '/work/wt-4/node_modules/@embedpdf'
Font.register({ family: 'NotoSans', src: nm + '/fonts-latin/fonts/NotoSans-Regular.ttf' })
Font.register({ family: 'NotoNaskh', src: nm + '/fonts-arabic/fonts/NotoNaskhArabic-Regular.ttf' })
Font.register({ family: 'NotoSC', src: nm + '/fonts-sc/fonts/NotoSansHans-Regular.otf' })
const h = React.createElement
const para = 'Excellency, I have the honour to transmit to Your Excellency a petition addressed to the Member States. '.repeat(8)
const mk = (fam, txt) => h(Document, { title: 'T' }, h(Page, { size: 'A4', style: { padding: 50, fontFamily: 'NotoSans', fontSize: 11 } },
  ...Array.from({length: 6}, () => h(Text, { style: { fontFamily: fam, marginBottom: 8 } }, txt))))
for (const [fam, txt] of [['NotoSans', para], ['NotoNaskh', 'يشرفني أن أحيل إلى سعادتكم عريضة موجهة '.repeat(10)], ['NotoSC', '我谨代表签署请愿书的人士致函阁下。'.repeat(10)]]) {
  for (let i = 0; i < 3; i++) { const t = performance.now(); await renderToBuffer(mk(fam, txt)); console.log(fam, i, Math.round(performance.now() - t)) }
}
