import type { UnLang } from '~/data/un-states'
import type { CheckCode } from './verify.server'

/**
 * What /verify/:code says it checked, in each language a letter can be written in. Written for a
 * delegation's officer rather than a cryptographer; key strings and numbers are inserted as they are.
 */
export interface CheckLabels {
  heading: string
  ok: string
  failed: string
  /** "{check}" is one of `names` */
  failedCheck: string
  meaning: string
  /** a version 1 certificate, written before the public log */
  legacy: string
  /** "{witnesses}": the witnesses' keys */
  cosigned: string
  browser: Record<'checking' | 'ok' | 'failed' | 'unsupported' | 'noscript', string>
  pass: Record<CheckCode, string>
  names: Record<CheckCode, string>
}

export const CHECK_LABELS: Record<UnLang, CheckLabels> = {
  en: {
    heading: 'What was checked',
    ok: 'Verified. The server checked the signatures and recounted the public log.',
    failed: 'Not verified. At least one check failed; do not rely on this letter’s figures.',
    failedCheck: 'Failed: {check}.',
    meaning:
      'What this means: the figures above come from the signed certificate, not from the platform’s database. Anyone can recount them from the campaign’s public log, which can only grow and names no signer.',
    legacy: 'This letter was certified before the campaign’s public log existed (certificate version 1): its signature can be checked with the platform’s key, but its count cannot be recounted from a log.',
    cosigned: 'Independent witnesses cosigned this checkpoint, vouching that the log only grew: {witnesses}.',
    browser: {
      checking: 'Your browser is checking the signatures again…',
      ok: 'Your browser checked the signatures again, independently of the server: valid.',
      failed: 'Your browser checked the signatures again and found them INVALID.',
      unsupported: 'This browser cannot check Ed25519 signatures itself; the server’s check above stands.',
      noscript: 'With JavaScript on, your browser would check the signatures again itself.',
    },
    pass: {
      format: 'The certificate is in the published format.',
      'certificate-signature': 'The certificate is signed by the platform’s key {key}.',
      'checkpoint-signature': 'The log checkpoint it cites is signed by the key {key}.',
      'checkpoint-matches': 'The count was taken from the public log when it held {size} entries.',
      'key-validity': 'That key was in use when the letter was written.',
      'previous-consistent': 'The log extends the one the previous letter ({code}) was counted from: nothing was rewritten.',
      'entries-root': 'The log’s {size} public entries hash to the signed root.',
      recount: 'Recounted from those entries: {count} verified signatures from this country.',
      'latest-consistent': 'The log’s latest checkpoint ({latest} entries) extends the one this letter cites.',
      pdf: 'The PDF is the certified letter.',
    },
    names: {
      format: 'the certificate’s format',
      'certificate-signature': 'the certificate’s signature',
      'checkpoint-signature': 'the log checkpoint’s signature',
      'checkpoint-matches': 'the certificate’s match with its checkpoint',
      'key-validity': 'the key’s period of use',
      'previous-consistent': 'consistency with the previous letter',
      'entries-root': 'the log’s entries against its root',
      recount: 'the recount from the log',
      'latest-consistent': 'consistency with the latest checkpoint',
      pdf: 'the PDF',
    },
  },
  fr: {
    heading: 'Vérifications effectuées',
    ok: 'Vérifiée. Le serveur a contrôlé les signatures et recompté le registre public.',
    failed: 'Non vérifiée. Au moins un contrôle a échoué ; les chiffres de cette lettre ne sauraient être tenus pour fiables.',
    failedCheck: 'Échec : {check}.',
    meaning:
      'Ce que cela signifie : les chiffres ci-dessus proviennent du certificat signé, et non de la base de données de la plateforme. Chacun peut les recompter à partir du registre public de la campagne, qui ne peut que s’allonger et ne nomme aucun signataire.',
    legacy: 'Cette lettre a été certifiée avant la création du registre public de la campagne (certificat de version 1) : sa signature peut être vérifiée avec la clé de la plateforme, mais son décompte ne peut pas être refait à partir d’un registre.',
    cosigned: 'Des témoins indépendants ont contresigné ce point de contrôle, attestant que le registre n’a fait que s’allonger : {witnesses}.',
    browser: {
      checking: 'Votre navigateur vérifie à nouveau les signatures…',
      ok: 'Votre navigateur a vérifié à nouveau les signatures, indépendamment du serveur : elles sont valides.',
      failed: 'Votre navigateur a vérifié à nouveau les signatures : elles ne sont PAS valides.',
      unsupported: 'Ce navigateur ne peut pas vérifier lui-même les signatures Ed25519 ; la vérification du serveur ci-dessus demeure.',
      noscript: 'Avec JavaScript activé, votre navigateur vérifierait lui-même les signatures.',
    },
    pass: {
      format: 'Le certificat respecte le format publié.',
      'certificate-signature': 'Le certificat est signé par la clé de la plateforme {key}.',
      'checkpoint-signature': 'Le point de contrôle du registre qu’il cite est signé par la clé {key}.',
      'checkpoint-matches': 'Le décompte a été établi à partir du registre public lorsqu’il comptait {size} entrées.',
      'key-validity': 'Cette clé était en usage lors de la rédaction de la lettre.',
      'previous-consistent': 'Le registre prolonge celui à partir duquel la lettre précédente ({code}) avait été établie : rien n’a été réécrit.',
      'entries-root': 'Les {size} entrées publiques du registre correspondent à la racine signée.',
      recount: 'Recompte à partir de ces entrées : {count} signatures vérifiées de ce pays.',
      'latest-consistent': 'Le dernier point de contrôle du registre ({latest} entrées) prolonge celui que cite la lettre.',
      pdf: 'Le PDF est bien la lettre certifiée.',
    },
    names: {
      format: 'format du certificat',
      'certificate-signature': 'signature du certificat',
      'checkpoint-signature': 'signature du point de contrôle du registre',
      'checkpoint-matches': 'concordance du certificat avec son point de contrôle',
      'key-validity': 'période d’usage de la clé',
      'previous-consistent': 'cohérence avec la lettre précédente',
      'entries-root': 'concordance des entrées du registre avec sa racine',
      recount: 'recompte à partir du registre',
      'latest-consistent': 'cohérence avec le dernier point de contrôle',
      pdf: 'PDF',
    },
  },
  es: {
    heading: 'Comprobaciones realizadas',
    ok: 'Verificada. El servidor comprobó las firmas y volvió a contar el registro público.',
    failed: 'No verificada. Al menos una comprobación falló; no se debe confiar en las cifras de esta carta.',
    failedCheck: 'Falló: {check}.',
    meaning:
      'Qué significa: las cifras anteriores proceden del certificado firmado, no de la base de datos de la plataforma. Cualquiera puede volver a contarlas a partir del registro público de la campaña, que solo puede crecer y no nombra a ningún firmante.',
    legacy: 'Esta carta se certificó antes de que existiera el registro público de la campaña (certificado de versión 1): su firma puede comprobarse con la clave de la plataforma, pero su recuento no puede rehacerse a partir de un registro.',
    cosigned: 'Testigos independientes refrendaron este punto de control, dando fe de que el registro solo ha crecido: {witnesses}.',
    browser: {
      checking: 'Su navegador está comprobando de nuevo las firmas…',
      ok: 'Su navegador comprobó de nuevo las firmas, con independencia del servidor: son válidas.',
      failed: 'Su navegador comprobó de nuevo las firmas: NO son válidas.',
      unsupported: 'Este navegador no puede comprobar por sí mismo firmas Ed25519; la comprobación del servidor sigue siendo válida.',
      noscript: 'Con JavaScript activado, su navegador comprobaría por sí mismo las firmas.',
    },
    pass: {
      format: 'El certificado sigue el formato publicado.',
      'certificate-signature': 'El certificado está firmado con la clave de la plataforma {key}.',
      'checkpoint-signature': 'El punto de control del registro que cita está firmado con la clave {key}.',
      'checkpoint-matches': 'El recuento se tomó del registro público cuando tenía {size} entradas.',
      'key-validity': 'Esa clave estaba en uso cuando se redactó la carta.',
      'previous-consistent': 'El registro prolonga aquel del que se tomó la carta anterior ({code}): no se ha reescrito nada.',
      'entries-root': 'Las {size} entradas públicas del registro coinciden con la raíz firmada.',
      recount: 'Nuevo recuento a partir de esas entradas: {count} firmas verificadas de este país.',
      'latest-consistent': 'El último punto de control del registro ({latest} entradas) prolonga el que cita esta carta.',
      pdf: 'El PDF es la carta certificada.',
    },
    names: {
      format: 'el formato del certificado',
      'certificate-signature': 'la firma del certificado',
      'checkpoint-signature': 'la firma del punto de control del registro',
      'checkpoint-matches': 'la coincidencia del certificado con su punto de control',
      'key-validity': 'el período de uso de la clave',
      'previous-consistent': 'la coherencia con la carta anterior',
      'entries-root': 'las entradas del registro frente a su raíz',
      recount: 'el nuevo recuento a partir del registro',
      'latest-consistent': 'la coherencia con el último punto de control',
      pdf: 'el PDF',
    },
  },
  ar: {
    heading: 'ما جرى التحقق منه',
    ok: 'تم التحقق. فحص الخادم التوقيعات وأعاد عدّ السجل العام.',
    failed: 'لم يتم التحقق. أخفق فحص واحد على الأقل؛ فلا يُعتمد على أرقام هذه الرسالة.',
    failedCheck: 'أخفق: {check}.',
    meaning:
      'معنى ذلك: الأرقام الواردة أعلاه مأخوذة من الشهادة الموقّعة، لا من قاعدة بيانات المنصة. ويمكن لأي شخص أن يعيد عدّها من السجل العام للحملة، وهو سجل لا يمكن إلا أن يزداد، ولا يذكر اسم أي موقّع.',
    legacy: 'صُدّق على هذه الرسالة قبل إنشاء السجل العام للحملة (شهادة من الإصدار 1): يمكن التحقق من توقيعها بمفتاح المنصة، ولكن لا يمكن إعادة عدّها من سجل.',
    cosigned: 'وقّع شهود مستقلون على نقطة التحقق هذه، شاهدين بأن السجل لم يزد إلا نمواً: {witnesses}.',
    browser: {
      checking: 'يعيد متصفحك الآن التحقق من التوقيعات…',
      ok: 'أعاد متصفحك التحقق من التوقيعات مستقلاً عن الخادم: التوقيعات صحيحة.',
      failed: 'أعاد متصفحك التحقق من التوقيعات فوجدها غير صحيحة.',
      unsupported: 'لا يستطيع هذا المتصفح التحقق بنفسه من توقيعات Ed25519؛ ويبقى تحقق الخادم أعلاه قائماً.',
      noscript: 'لو فُعّلت JavaScript لتحقق متصفحك بنفسه من التوقيعات.',
    },
    pass: {
      format: 'الشهادة مطابقة للصيغة المنشورة.',
      'certificate-signature': 'الشهادة موقّعة بمفتاح المنصة {key}.',
      'checkpoint-signature': 'نقطة التحقق من السجل التي تستند إليها موقّعة بالمفتاح {key}.',
      'checkpoint-matches': 'أُخذ العدد من السجل العام حين كان يضم {size} قيداً.',
      'key-validity': 'كان هذا المفتاح مستخدماً عند تحرير الرسالة.',
      'previous-consistent': 'السجل امتداد للسجل الذي أُخذت منه الرسالة السابقة ({code}): لم يُعَد كتابة أي شيء.',
      'entries-root': 'قيود السجل العامة البالغ عددها {size} مطابقة للجذر الموقّع.',
      recount: 'أُعيد العدّ من هذه القيود: {count} توقيعاً متحققاً منه من هذا البلد.',
      'latest-consistent': 'أحدث نقطة تحقق في السجل ({latest} قيداً) امتداد لتلك التي تستند إليها هذه الرسالة.',
      pdf: 'ملف PDF هو الرسالة المصدّق عليها.',
    },
    names: {
      format: 'صيغة الشهادة',
      'certificate-signature': 'توقيع الشهادة',
      'checkpoint-signature': 'توقيع نقطة التحقق من السجل',
      'checkpoint-matches': 'مطابقة الشهادة لنقطة التحقق',
      'key-validity': 'فترة استخدام المفتاح',
      'previous-consistent': 'الاتساق مع الرسالة السابقة',
      'entries-root': 'مطابقة قيود السجل لجذره',
      recount: 'إعادة العدّ من السجل',
      'latest-consistent': 'الاتساق مع أحدث نقطة تحقق',
      pdf: 'ملف PDF',
    },
  },
  ru: {
    heading: 'Что проверено',
    ok: 'Подтверждено. Сервер проверил подписи и пересчитал публичный журнал.',
    failed: 'Не подтверждено. Как минимум одна проверка не пройдена; на цифры этого письма полагаться нельзя.',
    failedCheck: 'Не пройдена проверка: {check}.',
    meaning:
      'Что это означает: приведённые выше цифры взяты из подписанного сертификата, а не из базы данных платформы. Любой может пересчитать их по публичному журналу кампании, который может только пополняться и не называет ни одного подписавшего.',
    legacy: 'Это письмо заверено до появления публичного журнала кампании (сертификат версии 1): его подпись можно проверить ключом платформы, но пересчитать его цифры по журналу нельзя.',
    cosigned: 'Независимые свидетели скрепили подписью эту контрольную точку, подтвердив, что журнал только пополнялся: {witnesses}.',
    browser: {
      checking: 'Ваш браузер повторно проверяет подписи…',
      ok: 'Ваш браузер повторно проверил подписи независимо от сервера: подписи действительны.',
      failed: 'Ваш браузер повторно проверил подписи: они НЕДЕЙСТВИТЕЛЬНЫ.',
      unsupported: 'Этот браузер не может сам проверить подписи Ed25519; проверка сервера, приведённая выше, остаётся в силе.',
      noscript: 'Если включить JavaScript, ваш браузер сам повторно проверит подписи.',
    },
    pass: {
      format: 'Сертификат соответствует опубликованному формату.',
      'certificate-signature': 'Сертификат подписан ключом платформы {key}.',
      'checkpoint-signature': 'Контрольная точка журнала, на которую он ссылается, подписана ключом {key}.',
      'checkpoint-matches': 'Подсчёт сделан по публичному журналу, когда в нём было {size} записей.',
      'key-validity': 'Этот ключ использовался на момент составления письма.',
      'previous-consistent': 'Журнал продолжает тот, по которому составлено предыдущее письмо ({code}): ничего не переписано.',
      'entries-root': '{size} публичных записей журнала соответствуют подписанному корню.',
      recount: 'Пересчёт по этим записям: {count} подтверждённых подписей из этой страны.',
      'latest-consistent': 'Последняя контрольная точка журнала ({latest} записей) продолжает ту, на которую ссылается это письмо.',
      pdf: 'PDF-файл является заверенным письмом.',
    },
    names: {
      format: 'формат сертификата',
      'certificate-signature': 'подпись сертификата',
      'checkpoint-signature': 'подпись контрольной точки журнала',
      'checkpoint-matches': 'соответствие сертификата контрольной точке',
      'key-validity': 'срок использования ключа',
      'previous-consistent': 'согласованность с предыдущим письмом',
      'entries-root': 'соответствие записей журнала его корню',
      recount: 'пересчёт по журналу',
      'latest-consistent': 'согласованность с последней контрольной точкой',
      pdf: 'PDF-файл',
    },
  },
  zh: {
    heading: '核查内容',
    ok: '已核实。服务器已核查各项签名，并重新统计了公开日志。',
    failed: '未能核实。至少有一项核查未通过；请勿依据本函所列数字。',
    failedCheck: '未通过：{check}。',
    meaning: '含义：上列数字取自经签名的证书，而非平台的数据库。任何人均可根据本次活动的公开日志重新统计；该日志只增不减，且不载有任何签名者的姓名。',
    legacy: '本函的认证早于本次活动公开日志的建立（第 1 版证书）：其签名可用平台密钥核查，但其数字无法根据日志重新统计。',
    cosigned: '独立见证方已对该检查点联署，证明日志只增不减：{witnesses}。',
    browser: {
      checking: '您的浏览器正在再次核查签名……',
      ok: '您的浏览器已独立于服务器再次核查签名：签名有效。',
      failed: '您的浏览器再次核查签名后发现签名无效。',
      unsupported: '此浏览器无法自行核查 Ed25519 签名；上述服务器核查结果仍然有效。',
      noscript: '启用 JavaScript 后，您的浏览器将自行再次核查签名。',
    },
    pass: {
      format: '证书符合已公布的格式。',
      'certificate-signature': '证书由平台密钥 {key} 签名。',
      'checkpoint-signature': '证书所引用的日志检查点由密钥 {key} 签名。',
      'checkpoint-matches': '统计数字取自公开日志，当时日志共有 {size} 条记录。',
      'key-validity': '撰写本函时该密钥正在使用中。',
      'previous-consistent': '该日志是上一封信函（{code}）所依据日志的延续：没有任何内容被改写。',
      'entries-root': '日志的 {size} 条公开记录与已签名的根哈希相符。',
      recount: '根据上述记录重新统计：来自该国的已核实签名共 {count} 个。',
      'latest-consistent': '日志的最新检查点（{latest} 条记录）是本函所引用检查点的延续。',
      pdf: '该 PDF 即为经认证的信函。',
    },
    names: {
      format: '证书格式',
      'certificate-signature': '证书签名',
      'checkpoint-signature': '日志检查点签名',
      'checkpoint-matches': '证书与其检查点是否相符',
      'key-validity': '密钥的使用期限',
      'previous-consistent': '与上一封信函的一致性',
      'entries-root': '日志记录与根哈希是否相符',
      recount: '根据日志重新统计',
      'latest-consistent': '与最新检查点的一致性',
      pdf: 'PDF 文件',
    },
  },
}
