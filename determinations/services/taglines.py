"""The "language assistance is available" notice (45 CFR 92.11; 42 CFR 438.10(d)(2)) printed on
every member letter, in the languages most spoken by people with limited English in the US.
Letters render with DejaVu Sans, and Chinese, Korean and Japanese with WenQuanYi Micro Hei
(Debian's fonts-wqy-microhei, which .ci/run installs and the README lists): without that font on
a worker those three lines would print as empty boxes (tests/determinations/test_pdf.py)."""

_TAGLINES = [
    (
        "English",
        "ATTENTION: Language assistance services, free of charge, are available to you. "
        "Call {phone} (TTY: {tty}).",
    ),
    (
        "Español",
        "ATENCIÓN: si habla español, tiene a su disposición servicios gratuitos de "
        "asistencia lingüística. Llame al {phone} (TTY: {tty}).",
    ),
    (
        "繁體中文",
        "注意：如果您使用繁體中文，您可以免費獲得語言援助服務。請致電 {phone}（TTY：{tty}）。",
    ),
    (
        "Tiếng Việt",
        "CHÚ Ý: Nếu bạn nói Tiếng Việt, có các dịch vụ hỗ trợ ngôn ngữ miễn phí dành "
        "cho bạn. Gọi số {phone} (TTY: {tty}).",
    ),
    (
        "한국어",
        "주의: 한국어를 사용하시는 경우, 언어 지원 서비스를 무료로 이용하실 수 있습니다. "
        "{phone} (TTY: {tty})번으로 전화해 주십시오.",
    ),
    (
        "Русский",
        "ВНИМАНИЕ: Если вы говорите на русском языке, то вам доступны бесплатные услуги "
        "перевода. Звоните {phone} (телетайп: {tty}).",
    ),
    (
        "Kreyòl Ayisyen",
        "ATANSYON: Si w pale Kreyòl Ayisyen, gen sèvis èd pou lang ki disponib "
        "gratis pou ou. Rele {phone} (TTY: {tty}).",
    ),
    (
        "Tagalog",
        "PAUNAWA: Kung nagsasalita ka ng Tagalog, maaari kang gumamit ng mga serbisyo ng "
        "tulong sa wika nang walang bayad. Tumawag sa {phone} (TTY: {tty}).",
    ),
    (
        "Français",
        "ATTENTION : Si vous parlez français, des services d'aide linguistique vous sont "
        "proposés gratuitement. Appelez le {phone} (ATS : {tty}).",
    ),
    (
        "Polski",
        "UWAGA: Jeżeli mówisz po polsku, możesz skorzystać z bezpłatnej pomocy językowej. "
        "Zadzwoń pod numer {phone} (TTY: {tty}).",
    ),
    (
        "Português",
        "ATENÇÃO: Se fala português, encontram-se disponíveis serviços linguísticos, "
        "grátis. Ligue para {phone} (TTY: {tty}).",
    ),
    (
        "Italiano",
        "ATTENZIONE: Se parla italiano, sono disponibili servizi di assistenza "
        "linguistica gratuiti. Chiami il numero {phone} (TTY: {tty}).",
    ),
    (
        "Ελληνικά",
        "ΠΡΟΣΟΧΗ: Αν μιλάτε ελληνικά, στη διάθεσή σας βρίσκονται υπηρεσίες γλωσσικής "
        "υποστήριξης, οι οποίες παρέχονται δωρεάν. Καλέστε {phone} (TTY: {tty}).",
    ),
    (
        "日本語",
        "注意事項：日本語を話される場合、無料の言語支援をご利用いただけます。"
        "{phone}（TTY:{tty}）まで、お電話にてご連絡ください。",
    ),
    (
        "العربية",
        "ملحوظة: إذا كنت تتحدث العربية، فإن خدمات المساعدة اللغوية تتوافر لك بالمجان. "
        "اتصل برقم {phone} (رقم هاتف الصم والبكم: {tty}).",
    ),
]


def taglines(*, phone: str, tty: str = "711") -> list[dict]:
    return [
        {
            "language": language,
            "text": text.format(phone=phone, tty=tty),
            "rtl": language == "العربية",
        }
        for language, text in _TAGLINES
    ]
