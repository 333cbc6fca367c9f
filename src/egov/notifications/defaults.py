# ruff: noqa: E501 - a paragraph of a message is one line; mail clients wrap it.
"""The texts the platform ships for each event, channel and language.

They seed the template table (migration 0002, ``load_notification_templates``); administrators
then edit the table. A template missing from the table falls back to these texts, so a new event
speaks even before its templates are loaded. Every template also sees ``site_name``.

SMS texts are written with diacritics: the renderer removes them when the SMS provider needs it.
Zalo texts list the parameters of the ZNS template approved by Zalo, one ``name: value`` a line.
"""

_FOOTER_VI = "Đây là thư tự động, vui lòng không trả lời.\nCổng dịch vụ công {{ site_name }}"
_FOOTER_EN = (
    "This message was sent automatically; please do not reply.\n"
    "Public service portal of {{ site_name }}"
)
_DEAR_VI = 'Kính gửi {{ citizen_name|default:"Ông/Bà" }},'
_DEAR_EN = 'Dear {{ citizen_name|default:"citizen" }},'
_TRACK_VI = "Theo dõi hồ sơ tại: {{ tracking_url }}"
_TRACK_EN = "Follow your dossier at: {{ tracking_url }}"
_ZALO_DOSSIER = (
    "customer_name: {{ citizen_name }}\ndossier_code: {{ dossier_code }}\n"
    "procedure: {{ procedure_name|truncatechars:100 }}\n"
)

TEXTS: dict[tuple[str, str, str], dict[str, str]] = {
    # --- Dossier received --------------------------------------------------------------------
    ("dossier.received", "email", "vi"): {
        "subject": "Hồ sơ {{ dossier_code }} đã được tiếp nhận",
        "body": f"""{_DEAR_VI}

{{{{ agency_name }}}} đã tiếp nhận hồ sơ “{{{{ procedure_name }}}}” của Ông/Bà lúc {{{{ received_at|date:"H:i" }}}} ngày {{{{ received_at|date:"d/m/Y" }}}}.

Mã hồ sơ: {{{{ dossier_code }}}}
Ngày hẹn trả kết quả: {{{{ appointment_date|date:"d/m/Y" }}}}

{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("dossier.received", "email", "en"): {
        "subject": "Dossier {{ dossier_code }} received",
        "body": f"""{_DEAR_EN}

{{{{ agency_name }}}} received your dossier for “{{{{ procedure_name }}}}” at {{{{ received_at|date:"H:i" }}}} on {{{{ received_at|date:"d/m/Y" }}}}.

Dossier code: {{{{ dossier_code }}}}
Result promised for: {{{{ appointment_date|date:"d/m/Y" }}}}

{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("dossier.received", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Hồ sơ {{ dossier_code }} đã được tiếp nhận. "
        'Hẹn trả kết quả ngày {{ appointment_date|date:"d/m/Y" }}. Tra cứu: {{ tracking_url }}',
    },
    ("dossier.received", "sms", "en"): {
        "body": "{{ site_name }} public services: dossier {{ dossier_code }} received. "
        'Result due {{ appointment_date|date:"d/m/Y" }}. Track: {{ tracking_url }}',
    },
    ("dossier.received", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'received_date: {{ received_at|date:"d/m/Y" }}\n'
        'appointment_date: {{ appointment_date|date:"d/m/Y" }}',
    },
    ("dossier.received", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'received_date: {{ received_at|date:"d/m/Y" }}\n'
        'appointment_date: {{ appointment_date|date:"d/m/Y" }}',
    },
    # --- Dossier submitted online -----------------------------------------------------------
    ("dossier.submitted", "email", "vi"): {
        "subject": "Đã nhận hồ sơ nộp trực tuyến {{ dossier_code }}",
        "body": f"""{_DEAR_VI}

Hệ thống đã nhận hồ sơ “{{{{ procedure_name }}}}” Ông/Bà nộp trực tuyến lúc {{{{ submitted_at|date:"H:i" }}}} ngày {{{{ submitted_at|date:"d/m/Y" }}}}.

Mã hồ sơ: {{{{ dossier_code }}}}
Nơi tiếp nhận: {{{{ agency_name }}}}

Bộ phận Một cửa sẽ kiểm tra hồ sơ và gửi Giấy tiếp nhận hồ sơ và hẹn trả kết quả, hoặc đề nghị bổ sung nếu còn thiếu giấy tờ. Thời hạn giải quyết được tính từ khi hồ sơ được tiếp nhận.

{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("dossier.submitted", "email", "en"): {
        "subject": "Online dossier {{ dossier_code }} submitted",
        "body": f"""{_DEAR_EN}

We have your dossier for “{{{{ procedure_name }}}}”, submitted online at {{{{ submitted_at|date:"H:i" }}}} on {{{{ submitted_at|date:"d/m/Y" }}}}.

Dossier code: {{{{ dossier_code }}}}
Receiving agency: {{{{ agency_name }}}}

The one-stop desk will check it and send you the receipt with the date of the result, or ask for what is missing. The time limit counts from the receipt.

{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("dossier.submitted", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Đã nhận hồ sơ trực tuyến {{ dossier_code }}, "
        "đang chờ Bộ phận Một cửa kiểm tra. Tra cứu: {{ tracking_url }}",
    },
    ("dossier.submitted", "sms", "en"): {
        "body": "{{ site_name }} public services: online dossier {{ dossier_code }} submitted, "
        "waiting for the desk's check. Track: {{ tracking_url }}",
    },
    ("dossier.submitted", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'submitted_date: {{ submitted_at|date:"d/m/Y" }}',
    },
    ("dossier.submitted", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'submitted_date: {{ submitted_at|date:"d/m/Y" }}',
    },
    # --- Supplement requested ----------------------------------------------------------------
    ("dossier.supplement_requested", "email", "vi"): {
        "subject": "Hồ sơ {{ dossier_code }} cần bổ sung",
        "body": f"""{_DEAR_VI}

Để tiếp tục giải quyết hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}), {{{{ agency_name }}}} đề nghị Ông/Bà bổ sung:
{{% for item in items %}}
  {{{{ forloop.counter }}}}. {{{{ item }}}}{{% endfor %}}
{{% if note %}}
Ghi chú của cán bộ: {{{{ note }}}}
{{% endif %}}{{% if deadline %}}
Vui lòng bổ sung trước ngày {{{{ deadline|date:"d/m/Y" }}}}.{{% endif %}}
Thời gian chờ bổ sung không tính vào thời hạn giải quyết.

{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("dossier.supplement_requested", "email", "en"): {
        "subject": "Dossier {{ dossier_code }} needs more papers",
        "body": f"""{_DEAR_EN}

To go on with your dossier for “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}), {{{{ agency_name }}}} asks you to provide:
{{% for item in items %}}
  {{{{ forloop.counter }}}}. {{{{ item }}}}{{% endfor %}}
{{% if note %}}
The officer's note: {{{{ note }}}}
{{% endif %}}{{% if deadline %}}
Please provide them by {{{{ deadline|date:"d/m/Y" }}}}.{{% endif %}}
The time you take does not count against the processing time.

{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("dossier.supplement_requested", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Hồ sơ {{ dossier_code }} cần bổ sung "
        "{{ items|length }} thành phần"
        '{% if deadline %} trước ngày {{ deadline|date:"d/m/Y" }}{% endif %}. '
        "Chi tiết: {{ tracking_url }}",
    },
    ("dossier.supplement_requested", "sms", "en"): {
        "body": "{{ site_name }} public services: dossier {{ dossier_code }} needs "
        "{{ items|length }} more item(s)"
        '{% if deadline %} by {{ deadline|date:"d/m/Y" }}{% endif %}. Details: {{ tracking_url }}',
    },
    ("dossier.supplement_requested", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'items: {{ items|join:"; "|truncatechars:100 }}\n'
        'deadline: {{ deadline|date:"d/m/Y" }}',
    },
    ("dossier.supplement_requested", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'items: {{ items|join:"; "|truncatechars:100 }}\n'
        'deadline: {{ deadline|date:"d/m/Y" }}',
    },
    # --- Refused -----------------------------------------------------------------------------
    ("dossier.refused", "email", "vi"): {
        "subject": "Hồ sơ {{ dossier_code }} không được giải quyết",
        "body": f"""{_DEAR_VI}

{{{{ agency_name }}}} rất tiếc thông báo hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) không được giải quyết.

Lý do: {{{{ reason }}}}

Ông/Bà có thể liên hệ Bộ phận Một cửa để được hướng dẫn, hoặc xem chi tiết tại: {{{{ tracking_url }}}}

{_FOOTER_VI}""",
    },
    ("dossier.refused", "email", "en"): {
        "subject": "Dossier {{ dossier_code }} refused",
        "body": f"""{_DEAR_EN}

{{{{ agency_name }}}} regrets to tell you that your dossier for “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) has been refused.

Reason: {{{{ reason }}}}

The one-stop desk can advise you; details are at: {{{{ tracking_url }}}}

{_FOOTER_EN}""",
    },
    ("dossier.refused", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Hồ sơ {{ dossier_code }} không được giải quyết. "
        "Lý do: {{ reason }}",
    },
    ("dossier.refused", "sms", "en"): {
        "body": "{{ site_name }} public services: dossier {{ dossier_code }} refused. "
        "Reason: {{ reason }}",
    },
    ("dossier.refused", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + "reason: {{ reason|truncatechars:100 }}",
    },
    ("dossier.refused", "zalo", "en"): {
        "body": _ZALO_DOSSIER + "reason: {{ reason|truncatechars:100 }}",
    },
    # --- Result ready ------------------------------------------------------------------------
    ("dossier.result_ready", "email", "vi"): {
        "subject": "Đã có kết quả hồ sơ {{ dossier_code }}",
        "body": f"""{_DEAR_VI}

Hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) đã có kết quả.

Cách nhận kết quả: {{{{ how_to_get }}}}
{{% if pickup_address %}}Địa chỉ: {{{{ pickup_address }}}}
{{% endif %}}
{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("dossier.result_ready", "email", "en"): {
        "subject": "The result of dossier {{ dossier_code }} is ready",
        "body": f"""{_DEAR_EN}

The result of your dossier for “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) is ready.

How to get it: {{{{ how_to_get }}}}
{{% if pickup_address %}}Address: {{{{ pickup_address }}}}
{{% endif %}}
{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("dossier.result_ready", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Hồ sơ {{ dossier_code }} đã có kết quả. {{ how_to_get }}",
    },
    ("dossier.result_ready", "sms", "en"): {
        "body": "{{ site_name }} public services: the result of dossier {{ dossier_code }} "
        "is ready. {{ how_to_get }}",
    },
    ("dossier.result_ready", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + "how_to_get: {{ how_to_get|truncatechars:100 }}",
    },
    ("dossier.result_ready", "zalo", "en"): {
        "body": _ZALO_DOSSIER + "how_to_get: {{ how_to_get|truncatechars:100 }}",
    },
    # --- Appointment near (to the deciding agency's leaders) -------------------------------
    ("dossier.deadline_near", "email", "vi"): {
        "subject": "Hồ sơ {{ dossier_code }} sắp đến hạn trả kết quả",
        "body": """Kính gửi {{ citizen_name }},

Hồ sơ “{{ procedure_name }}” (mã {{ dossier_code }}) hẹn trả kết quả lúc {{ appointment|date:"H:i d/m/Y" }} và chưa được giải quyết xong.

Nếu hồ sơ không thể trả đúng hẹn, cơ quan phải gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04) cho người nộp chậm nhất lúc {{ apology_by|date:"H:i d/m/Y" }}.

Hệ thống một cửa điện tử {{ site_name }}""",
    },
    ("dossier.deadline_near", "email", "en"): {
        "subject": "Dossier {{ dossier_code }} is nearly due",
        "body": """Dear {{ citizen_name }},

The dossier for “{{ procedure_name }}” (code {{ dossier_code }}) is due at {{ appointment|date:"H:i d/m/Y" }} and is not finished.

If it cannot be ready on time, the agency must send the applicant an apology letter with a new date (form 04) by {{ apology_by|date:"H:i d/m/Y" }} at the latest.

Electronic one-stop system of {{ site_name }}""",
    },
    ("dossier.deadline_near", "sms", "vi"): {
        "body": 'Hồ sơ {{ dossier_code }} hẹn trả {{ appointment|date:"H:i d/m/Y" }} chưa xong. '
        'Nếu trễ, gửi phiếu xin lỗi trước {{ apology_by|date:"H:i d/m/Y" }}.',
    },
    ("dossier.deadline_near", "sms", "en"): {
        "body": 'Dossier {{ dossier_code }} due {{ appointment|date:"H:i d/m/Y" }} is not done. '
        'If late, send the apology by {{ apology_by|date:"H:i d/m/Y" }}.',
    },
    ("dossier.deadline_near", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'appointment: {{ appointment|date:"H:i d/m/Y" }}\n'
        'apology_by: {{ apology_by|date:"H:i d/m/Y" }}',
    },
    ("dossier.deadline_near", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'appointment: {{ appointment|date:"H:i d/m/Y" }}\n'
        'apology_by: {{ apology_by|date:"H:i d/m/Y" }}',
    },
    # --- Opinion asked of another agency (to its staff) --------------------------------------
    ("dossier.consultation_requested", "email", "vi"): {
        "subject": "Đề nghị cho ý kiến về hồ sơ {{ dossier_code }}",
        "body": """Kính gửi {{ citizen_name }},

{{ asking_agency }} đề nghị {{ agency_name }} cho ý kiến về hồ sơ “{{ procedure_name }}” (mã {{ dossier_code }}), bước “{{ step_name }}”.

Hạn trả lời: {{ answer_due|date:"H:i d/m/Y" }}. Vui lòng vào mục “Xin ý kiến” của hệ thống một cửa điện tử để xem hồ sơ và trả lời.

Hệ thống một cửa điện tử {{ site_name }}""",
    },
    ("dossier.consultation_requested", "email", "en"): {
        "subject": "Your opinion is asked on dossier {{ dossier_code }}",
        "body": """Dear {{ citizen_name }},

{{ asking_agency }} asks {{ agency_name }} for its opinion on the dossier for “{{ procedure_name }}” (code {{ dossier_code }}), step “{{ step_name }}”.

Answer by: {{ answer_due|date:"H:i d/m/Y" }}. Open “Opinions asked of your agency” in the electronic one-stop system to read the dossier and answer.

Electronic one-stop system of {{ site_name }}""",
    },
    ("dossier.consultation_requested", "sms", "vi"): {
        "body": 'Đề nghị cho ý kiến hồ sơ {{ dossier_code }}, hạn {{ answer_due|date:"H:i d/m/Y" }}.',
    },
    ("dossier.consultation_requested", "sms", "en"): {
        "body": 'Opinion asked on dossier {{ dossier_code }}, due {{ answer_due|date:"H:i d/m/Y" }}.',
    },
    ("dossier.consultation_requested", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'answer_due: {{ answer_due|date:"H:i d/m/Y" }}',
    },
    ("dossier.consultation_requested", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'answer_due: {{ answer_due|date:"H:i d/m/Y" }}',
    },
    # --- Apology and new date ----------------------------------------------------------------
    ("dossier.apology", "email", "vi"): {
        "subject": "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ dossier_code }}",
        "body": f"""{_DEAR_VI}

{{{{ agency_name }}}} chân thành xin lỗi Ông/Bà vì hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) chưa có kết quả đúng hẹn ngày {{{{ old_date|date:"d/m/Y" }}}}.

Lý do: {{{{ reason }}}}

Ngày hẹn trả kết quả mới: {{{{ new_date|date:"d/m/Y" }}}}

Mong Ông/Bà thông cảm. {_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("dossier.apology", "email", "en"): {
        "subject": "Apology and new date for dossier {{ dossier_code }}",
        "body": f"""{_DEAR_EN}

{{{{ agency_name }}}} sincerely apologises: the result of your dossier for “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) was not ready on {{{{ old_date|date:"d/m/Y" }}}} as promised.

Reason: {{{{ reason }}}}

New date for the result: {{{{ new_date|date:"d/m/Y" }}}}

Thank you for your patience. {_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("dossier.apology", "sms", "vi"): {
        "body": "DVC {{ site_name }} xin lỗi: hồ sơ {{ dossier_code }} chưa có kết quả đúng hẹn. "
        'Ngày hẹn mới: {{ new_date|date:"d/m/Y" }}. Chi tiết: {{ tracking_url }}',
    },
    ("dossier.apology", "sms", "en"): {
        "body": "{{ site_name }} public services apologise: dossier {{ dossier_code }} is late. "
        'New date: {{ new_date|date:"d/m/Y" }}. Details: {{ tracking_url }}',
    },
    ("dossier.apology", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'old_date: {{ old_date|date:"d/m/Y" }}\n'
        'new_date: {{ new_date|date:"d/m/Y" }}\nreason: {{ reason|truncatechars:100 }}',
    },
    ("dossier.apology", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'old_date: {{ old_date|date:"d/m/Y" }}\n'
        'new_date: {{ new_date|date:"d/m/Y" }}\nreason: {{ reason|truncatechars:100 }}',
    },
    # --- Payment due -------------------------------------------------------------------------
    ("payment.due", "email", "vi"): {
        "subject": "Đề nghị nộp phí, lệ phí hồ sơ {{ dossier_code }}",
        "body": f"""{_DEAR_VI}

Hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) có phí, lệ phí cần nộp: {{{{ amount|vnd }}}}.
{{% if due_date %}}Hạn nộp: {{{{ due_date|date:"d/m/Y" }}}}.
{{% endif %}}
Nộp trực tuyến tại: {{{{ payment_url }}}}

{_FOOTER_VI}""",
    },
    ("payment.due", "email", "en"): {
        "subject": "Fees due for dossier {{ dossier_code }}",
        "body": f"""{_DEAR_EN}

Your dossier for “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) has fees to pay: {{{{ amount|vnd }}}}.
{{% if due_date %}}Please pay by {{{{ due_date|date:"d/m/Y" }}}}.
{{% endif %}}
Pay online at: {{{{ payment_url }}}}

{_FOOTER_EN}""",
    },
    ("payment.due", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Hồ sơ {{ dossier_code }} cần nộp {{ amount|vnd }}"
        '{% if due_date %} trước ngày {{ due_date|date:"d/m/Y" }}{% endif %}. '
        "Nộp tại: {{ payment_url }}",
    },
    ("payment.due", "sms", "en"): {
        "body": "{{ site_name }} public services: {{ amount|vnd }} due for dossier "
        '{{ dossier_code }}{% if due_date %} by {{ due_date|date:"d/m/Y" }}{% endif %}. '
        "Pay at: {{ payment_url }}",
    },
    ("payment.due", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + 'amount: {{ amount|vnd }}\ndue_date: {{ due_date|date:"d/m/Y" }}',
    },
    ("payment.due", "zalo", "en"): {
        "body": _ZALO_DOSSIER + 'amount: {{ amount|vnd }}\ndue_date: {{ due_date|date:"d/m/Y" }}',
    },
    # --- Payment received --------------------------------------------------------------------
    ("payment.received", "email", "vi"): {
        "subject": "Đã nhận thanh toán hồ sơ {{ dossier_code }}",
        "body": f"""{_DEAR_VI}

Đã nhận khoản thanh toán {{{{ amount|vnd }}}} cho hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) lúc {{{{ paid_at|date:"H:i d/m/Y" }}}}.

Số biên lai điện tử: {{{{ receipt_number }}}}

{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("payment.received", "email", "en"): {
        "subject": "Payment received for dossier {{ dossier_code }}",
        "body": f"""{_DEAR_EN}

We received your payment of {{{{ amount|vnd }}}} for the dossier “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) at {{{{ paid_at|date:"H:i, d/m/Y" }}}}.

E-receipt number: {{{{ receipt_number }}}}

{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("payment.received", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Đã nhận {{ amount|vnd }} cho hồ sơ {{ dossier_code }}. "
        "Biên lai số {{ receipt_number }}.",
    },
    ("payment.received", "sms", "en"): {
        "body": "{{ site_name }} public services: {{ amount|vnd }} received for dossier "
        "{{ dossier_code }}. Receipt {{ receipt_number }}.",
    },
    ("payment.received", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + "amount: {{ amount|vnd }}\n"
        'paid_at: {{ paid_at|date:"H:i d/m/Y" }}\nreceipt_number: {{ receipt_number }}',
    },
    ("payment.received", "zalo", "en"): {
        "body": _ZALO_DOSSIER + "amount: {{ amount|vnd }}\n"
        'paid_at: {{ paid_at|date:"H:i d/m/Y" }}\nreceipt_number: {{ receipt_number }}',
    },
    # --- Payment refunded --------------------------------------------------------------------
    ("payment.refunded", "email", "vi"): {
        "subject": "Hoàn trả {{ amount|vnd }} cho hồ sơ {{ dossier_code }}",
        "body": f"""{_DEAR_VI}

Khoản thanh toán {{{{ amount|vnd }}}} (biên lai điện tử số {{{{ receipt_number }}}}, lúc {{{{ paid_at|date:"H:i d/m/Y" }}}}) cho hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) đã được hoàn trả qua cổng thanh toán.

Lý do: {{{{ reason }}}}

Tiền sẽ về thẻ hoặc tài khoản Ông/Bà đã dùng để thanh toán trong vài ngày làm việc, tùy ngân hàng.

{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("payment.refunded", "email", "en"): {
        "subject": "{{ amount|vnd }} refunded for dossier {{ dossier_code }}",
        "body": f"""{_DEAR_EN}

Your payment of {{{{ amount|vnd }}}} (e-receipt {{{{ receipt_number }}}}, {{{{ paid_at|date:"H:i, d/m/Y" }}}}) for the dossier “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) was refunded through the payment gateway.

Reason: {{{{ reason }}}}

The money returns to the card or account you paid with within a few working days, depending on your bank.

{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("payment.refunded", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Đã hoàn trả {{ amount|vnd }} (biên lai {{ receipt_number }}) "
        "cho hồ sơ {{ dossier_code }}. Tiền về tài khoản trong vài ngày làm việc.",
    },
    ("payment.refunded", "sms", "en"): {
        "body": "{{ site_name }} public services: {{ amount|vnd }} (receipt {{ receipt_number }}) "
        "refunded for dossier {{ dossier_code }}; it reaches your account within a few working days.",
    },
    ("payment.refunded", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + "amount: {{ amount|vnd }}\n"
        "receipt_number: {{ receipt_number }}\nreason: {{ reason|truncatechars:100 }}",
    },
    ("payment.refunded", "zalo", "en"): {
        "body": _ZALO_DOSSIER + "amount: {{ amount|vnd }}\n"
        "receipt_number: {{ receipt_number }}\nreason: {{ reason|truncatechars:100 }}",
    },
    # --- Postal shipment ---------------------------------------------------------------------
    ("postal.shipment_updated", "email", "vi"): {
        "subject": "Bưu gửi {{ tracking_number }} của hồ sơ {{ dossier_code }}: {{ status }}",
        "body": f"""{_DEAR_VI}

Bưu gửi số {{{{ tracking_number }}}} ({{{{ carrier }}}}) của hồ sơ “{{{{ procedure_name }}}}” (mã {{{{ dossier_code }}}}) có cập nhật mới:

{{{{ status }}}}

{_TRACK_VI}

{_FOOTER_VI}""",
    },
    ("postal.shipment_updated", "email", "en"): {
        "subject": "Postal item {{ tracking_number }} for dossier {{ dossier_code }}: {{ status }}",
        "body": f"""{_DEAR_EN}

Postal item {{{{ tracking_number }}}} ({{{{ carrier }}}}) for your dossier “{{{{ procedure_name }}}}” (code {{{{ dossier_code }}}}) has news:

{{{{ status }}}}

{_TRACK_EN}

{_FOOTER_EN}""",
    },
    ("postal.shipment_updated", "sms", "vi"): {
        "body": "DVC {{ site_name }}: Bưu gửi {{ tracking_number }} (hồ sơ {{ dossier_code }}): "
        "{{ status }}",
    },
    ("postal.shipment_updated", "sms", "en"): {
        "body": "{{ site_name }} public services: postal item {{ tracking_number }} "
        "(dossier {{ dossier_code }}): {{ status }}",
    },
    ("postal.shipment_updated", "zalo", "vi"): {
        "body": _ZALO_DOSSIER + "tracking_number: {{ tracking_number }}\n"
        "status: {{ status|truncatechars:100 }}",
    },
    ("postal.shipment_updated", "zalo", "en"): {
        "body": _ZALO_DOSSIER + "tracking_number: {{ tracking_number }}\n"
        "status: {{ status|truncatechars:100 }}",
    },
    # --- One-time verification code ----------------------------------------------------------
    ("accounts.verification_code", "email", "vi"): {
        "subject": "Mã xác thực Cổng dịch vụ công {{ site_name }}",
        "body": f"""Mã xác thực của Ông/Bà là: {{{{ code }}}}

Mã có hiệu lực trong {{{{ minutes }}}} phút. Không cung cấp mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ.
Nếu Ông/Bà không yêu cầu mã, hãy bỏ qua thư này.

{_FOOTER_VI}""",
    },
    ("accounts.verification_code", "email", "en"): {
        "subject": "Your verification code for the {{ site_name }} public service portal",
        "body": f"""Your verification code is: {{{{ code }}}}

It is valid for {{{{ minutes }}}} minutes. Never give it to anyone, even someone who says they are an officer.
If you did not ask for a code, ignore this message.

{_FOOTER_EN}""",
    },
    ("accounts.verification_code", "sms", "vi"): {
        "body": "{{ code }} là mã xác thực Cổng DVC {{ site_name }}, hiệu lực {{ minutes }} phút. "
        "Không cung cấp mã cho bất kỳ ai.",
    },
    ("accounts.verification_code", "sms", "en"): {
        "body": "{{ code }} is your {{ site_name }} public services code, valid {{ minutes }} "
        "minutes. Never share it.",
    },
    ("accounts.verification_code", "zalo", "vi"): {"body": "otp: {{ code }}"},
    ("accounts.verification_code", "zalo", "en"): {"body": "otp: {{ code }}"},
}


def default_text(event: str, channel: str, language: str) -> dict[str, str] | None:
    return TEXTS.get((event, channel, language))
