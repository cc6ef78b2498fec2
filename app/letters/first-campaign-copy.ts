import type { UnLang } from '~/data/un-states'
import type { LetterCopy } from './text'

/**
 * The first campaign's letter in the six UN languages: the facts of shared/campaign/sources.md
 * (attributed, in the project's own words) and the three-point ask. Titles of reports stay in their
 * original English where the letter's script allows it, and are described otherwise.
 */
export const FIRST_CAMPAIGN_LETTER_COPY: Record<UnLang, LetterCopy> = {
  en: {
    title: 'Truth and justice for the victims of Iran’s 1988 prison massacres',
    context:
      'In the summer of 1988, the Iranian authorities forcibly disappeared and extrajudicially executed, in secret, thousands of imprisoned political dissidents. The victims were buried in unmarked mass graves, and no official has been brought to justice (Amnesty International, Blood-soaked secrets, MDE 13/9421/2018). In September 2020, seven United Nations human rights experts wrote to the Government of Iran that the killings and their ongoing concealment “may amount to crimes against humanity”. Families who seek the truth continue to be harassed and prosecuted.',
    askIntro: 'The signatories respectfully call on your Government to:',
    askItems: [
      'speak openly and firmly, at the United Nations and in its own statements, against the systematic impunity surrounding the 1988 mass extrajudicial executions;',
      'support an independent international investigation and accountability mechanism;',
      'press for the truth about the victims’ fate and the location of their remains, and for the protection of the families who seek it.',
    ],
    signatory: 'On behalf of the signatories,\nThe organisers of the petition',
  },
  fr: {
    title: 'Vérité et justice pour les victimes des massacres de prisonniers de 1988 en Iran',
    context:
      'À l’été 1988, les autorités iraniennes ont soumis à une disparition forcée et exécuté de manière extrajudiciaire, en secret, des milliers de dissidents politiques détenus. Les victimes ont été enterrées dans des fosses communes anonymes, et aucun responsable n’a été traduit en justice (Amnesty International, Blood-soaked secrets, MDE 13/9421/2018). En septembre 2020, sept experts des droits de l’homme de l’Organisation des Nations Unies ont écrit au Gouvernement iranien que ces exécutions et leur dissimulation persistante « pourraient constituer des crimes contre l’humanité ». Les familles qui cherchent la vérité continuent d’être harcelées et poursuivies.',
    askIntro: 'Les signataires prient respectueusement votre gouvernement :',
    askItems: [
      'de dénoncer ouvertement et fermement, à l’Organisation des Nations Unies et dans ses propres déclarations, l’impunité systématique qui entoure les exécutions extrajudiciaires de masse de 1988 ;',
      'd’appuyer un mécanisme international indépendant d’enquête et d’établissement des responsabilités ;',
      'd’exiger la vérité sur le sort des victimes et l’emplacement de leurs dépouilles, ainsi que la protection des familles qui la recherchent.',
    ],
    signatory: 'Au nom des signataires,\nLes organisateurs de la pétition',
  },
  es: {
    title: 'Verdad y justicia para las víctimas de las masacres en las cárceles del Irán en 1988',
    context:
      'En el verano de 1988, las autoridades iraníes sometieron a desaparición forzada y ejecutaron extrajudicialmente, en secreto, a miles de disidentes políticos encarcelados. Las víctimas fueron enterradas en fosas comunes sin identificar, y ningún funcionario ha comparecido ante la justicia (Amnistía Internacional, Blood-soaked secrets, MDE 13/9421/2018). En septiembre de 2020, siete expertos en derechos humanos de las Naciones Unidas escribieron al Gobierno del Irán que esas ejecuciones y su ocultación continuada «pueden constituir crímenes de lesa humanidad». Las familias que buscan la verdad siguen siendo hostigadas y procesadas.',
    askIntro: 'Los firmantes solicitan respetuosamente a su Gobierno que:',
    askItems: [
      'se pronuncie abierta y firmemente, en las Naciones Unidas y en sus propias declaraciones, contra la impunidad sistemática que rodea las ejecuciones extrajudiciales masivas de 1988;',
      'apoye un mecanismo internacional independiente de investigación y rendición de cuentas;',
      'exija la verdad sobre la suerte de las víctimas y el paradero de sus restos, así como la protección de las familias que la buscan.',
    ],
    signatory: 'En nombre de los firmantes,\nLos organizadores de la petición',
  },
  ar: {
    title: 'الحقيقة والعدالة لضحايا مجازر السجون في إيران عام 1988',
    context:
      'في صيف عام 1988، أخفت السلطات الإيرانية قسرًا آلاف المعارضين السياسيين المسجونين وأعدمتهم سرًا خارج نطاق القضاء. ودُفن الضحايا في مقابر جماعية لا تحمل أي علامات، ولم يُقدَّم أي مسؤول إلى العدالة، وفقًا لتقرير منظمة العفو الدولية الصادر في كانون الأول/ديسمبر 2018. وفي أيلول/سبتمبر 2020، كتب سبعة من خبراء الأمم المتحدة في مجال حقوق الإنسان إلى الحكومة الإيرانية أن عمليات القتل هذه واستمرار إخفائها «قد ترقى إلى جرائم ضد الإنسانية». ولا تزال الأسر التي تسعى إلى معرفة الحقيقة تتعرض للمضايقة والملاحقة القضائية.',
    askIntro: 'ويناشد الموقّعون حكومتكم ما يلي:',
    askItems: [
      'أن تتحدث علنًا وبحزم، في الأمم المتحدة وفي بياناتها، ضد الإفلات المنهجي من العقاب المحيط بعمليات الإعدام الجماعي خارج نطاق القضاء في عام 1988؛',
      'أن تدعم إنشاء آلية دولية مستقلة للتحقيق والمساءلة؛',
      'أن تطالب بكشف الحقيقة بشأن مصير الضحايا وأماكن رفاتهم، وبحماية الأسر التي تسعى إلى معرفتها.',
    ],
    signatory: 'باسم الموقّعين،\nمنظمو العريضة',
  },
  ru: {
    title: 'Правда и справедливость для жертв массовых казней заключенных в Иране в 1988 году',
    context:
      'Летом 1988 года иранские власти тайно подвергли насильственному исчезновению и внесудебной казни тысячи находившихся в заключении политических инакомыслящих. Жертвы были похоронены в безымянных массовых захоронениях, и ни одно должностное лицо не было привлечено к ответственности (Amnesty International, доклад Blood-soaked secrets, MDE 13/9421/2018). В сентябре 2020 года семь экспертов Организации Объединенных Наций по правам человека написали правительству Ирана, что эти убийства и их продолжающееся сокрытие «могут являться преступлениями против человечности». Семьи, добивающиеся правды, по-прежнему подвергаются притеснениям и уголовному преследованию.',
    askIntro: 'Подписавшие петицию почтительно призывают Ваше правительство:',
    askItems: [
      'открыто и твердо выступать в Организации Объединенных Наций и в своих заявлениях против систематической безнаказанности в связи с массовыми внесудебными казнями 1988 года;',
      'поддержать создание независимого международного механизма расследования и привлечения к ответственности;',
      'добиваться установления правды о судьбе жертв и местонахождении их останков, а также защиты семей, которые стремятся ее узнать.',
    ],
    signatory: 'От имени подписавших,\nорганизаторы петиции',
  },
  zh: {
    title: '为1988年伊朗监狱大屠杀的受害者寻求真相与正义',
    context:
      '1988年夏，伊朗当局秘密地对数千名被关押的政治异见人士实施强迫失踪和法外处决。遇难者被埋葬在无标记的万人坑中，至今没有任何官员被绳之以法（国际特赦组织2018年12月报告）。2020年9月，七名联合国人权专家致函伊朗政府，指出这些杀戮及其持续掩盖“可能构成危害人类罪”。寻求真相的遇难者家属至今仍遭受骚扰和起诉。',
    askIntro: '签名者恭请贵国政府：',
    askItems: [
      '在联合国和本国声明中公开、坚定地反对围绕1988年大规模法外处决的系统性有罪不罚现象；',
      '支持建立独立的国际调查与问责机制；',
      '敦促查明遇难者的下落及其遗骸所在地，并保护寻求真相的家属。',
    ],
    signatory: '代表全体签名者\n请愿组织者',
  },
}
