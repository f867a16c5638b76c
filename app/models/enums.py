"""Legal vocabularies as stable codes.

The code (the enum value) is what the database stores and what report forms filter on;
it never changes once released. Vietnamese labels live in ``app.services.common.vocab``.
"""

from __future__ import annotations

import enum


class ReceptionKind(enum.StrEnum):
    """Kind of reception (Luật Tiếp công dân)."""

    REGULAR = "thuong_xuyen"
    PERIODIC = "dinh_ky"
    AD_HOC = "dot_xuat"


class MatterKind(enum.StrEnum):
    """Kind of matter presented (khiếu nại / tố cáo / kiến nghị / phản ánh)."""

    COMPLAINT = "khieu_nai"
    DENUNCIATION = "to_cao"
    RECOMMENDATION = "kien_nghi"
    REFLECTION = "phan_anh"
    MIXED = "hon_hop"


class VisitOutcome(enum.StrEnum):
    """What was done for the citizen at the desk."""

    EXPLAINED = "giai_thich"
    GUIDED = "huong_dan"
    PETITION_RECEIVED = "nhan_don"
    FORWARDED = "chuyen_don"
    APPOINTMENT = "hen_lai"
    REFUSED = "tu_choi"
    OTHER = "khac"


class MatterState(enum.StrEnum):
    """State of the matter at reception, as the TCD report form counts it."""

    UNRESOLVED = "chua_giai_quyet"
    RESOLVED_NO_DECISION = "da_gq_chua_qd"
    FIRST_DECISION = "qd_lan_1"
    SECOND_DECISION = "qd_lan_2"
    COURT_JUDGMENT = "ban_an"


class Gender(enum.StrEnum):
    MALE = "nam"
    FEMALE = "nu"
    OTHER = "khac"


class IdKind(enum.StrEnum):
    """Which identity paper the number belongs to."""

    CCCD = "cccd"
    CMND = "cmnd"
    PASSPORT = "ho_chieu"


class ParticipantRole(enum.StrEnum):
    PRESENTER = "nguoi_trinh_bay"
    REPRESENTATIVE = "dai_dien"
    MEMBER = "thanh_vien"
    SIGNER = "nguoi_ky"


class PetitionSource(enum.StrEnum):
    DESK = "truc_tiep"
    POST = "buu_chinh"
    FORWARDED = "co_quan_chuyen"
    ONLINE = "truc_tuyen"


class SenderKind(enum.StrEnum):
    INDIVIDUAL = "ca_nhan"
    ORGANISATION = "to_chuc"
    CROWD = "dong_nguoi"


class Instance(enum.StrEnum):
    """First or second instance of a complaint."""

    FIRST = "lan_1"
    SECOND = "lan_2"


class Competence(enum.StrEnum):
    WITHIN = "thuoc_tham_quyen"
    OUTSIDE = "khong_thuoc_tham_quyen"


class PetitionStatus(enum.StrEnum):
    RECEIVED = "moi_nhan"
    CLASSIFIED = "da_phan_loai"
    ACCEPTED = "da_thu_ly"
    FORWARDED = "da_chuyen"
    GUIDED = "da_huong_dan"
    RETURNED = "da_tra_lai"
    FILED = "luu_don"
    WITHDRAWN = "rut_don"
    SUSPENDED = "tam_dinh_chi"
    TERMINATED = "dinh_chi"
    RESOLVED = "da_giai_quyet"
    SPLIT = "da_tach"
    NOT_ACCEPTED = "khong_thu_ly"
    CLOSED = "ket_thuc"


class HandlingAction(enum.StrEnum):
    """Handling directions and follow-up actions (Thông tư 05/2021, domain.md §4)."""

    RECEIVE = "tiep_nhan"
    CLASSIFY = "phan_loai"
    ACCEPT = "thu_ly"
    REFUSE = "khong_thu_ly"
    FORWARD = "chuyen_don"
    GUIDE = "huong_dan"
    RETURN = "tra_lai"
    FILE = "luu_don"
    REMIND = "don_doc"
    WITHDRAW = "rut_don"
    SUSPEND = "tam_dinh_chi"
    RESUME = "tiep_tuc"
    TERMINATE = "dinh_chi"
    EXTEND = "gia_han"
    SPLIT = "tach_don"
    ANSWER_RECEIVED = "nhan_ket_qua"
    DECIDE = "ban_hanh_quyet_dinh"
    ENFORCE = "thi_hanh"
    CLOSE = "ket_thuc"
    # Answering the person received at a reception (Luật Tiếp công dân, Điều 28 khoản 1).
    NOTIFY = "thong_bao_tra_loi"
    # Dialogue in complaint resolution (Luật Khiếu nại, Điều 30 and Điều 39): the notice, then the minutes.
    INVITE_DIALOGUE = "moi_doi_thoai"
    HOLD_DIALOGUE = "doi_thoai"


class ResolutionResult(enum.StrEnum):
    """Outcome of resolving a complaint or denunciation (KQGQ forms)."""

    RIGHT = "dung"
    PARTLY_RIGHT = "dung_mot_phan"
    WRONG = "sai"
    WITHDRAWN = "rut"


class DeadlineStatus(enum.StrEnum):
    OPEN = "dang_chay"
    SUSPENDED = "tam_dung"
    MET = "hoan_thanh"
    CANCELLED = "huy"


class DayUnit(enum.StrEnum):
    CALENDAR = "ngay"
    WORKING = "ngay_lam_viec"


class CalendarDayKind(enum.StrEnum):
    """Entries of the office calendar that override the Monday–Friday week."""

    HOLIDAY = "nghi_le"
    DAY_OFF = "nghi_bu"
    WORKDAY = "lam_bu"


class AgencyLevel(enum.StrEnum):
    CENTRAL = "trung_uong"
    PROVINCE = "tinh"
    DEPARTMENT = "so_nganh"
    COMMUNE = "xa"
    OTHER = "khac"


class AdminLevel(enum.StrEnum):
    PROVINCE = "tinh"
    COMMUNE = "xa"


class DocumentType(enum.StrEnum):
    """Every document the office issues (Thông tư 04/2021 and 05/2021 templates)."""

    RECEIPT = "giay_bien_nhan"
    APPOINTMENT = "phieu_hen"
    REFUSAL = "thong_bao_tu_choi_tiep"
    GUIDANCE = "phieu_huong_dan"
    FORWARDING = "phieu_chuyen_don"
    ACCEPTANCE_PROPOSAL = "phieu_de_xuat_thu_ly"
    ACCEPTANCE = "thong_bao_thu_ly"
    NON_ACCEPTANCE = "thong_bao_khong_thu_ly"
    RETURN = "thong_bao_tra_lai_don"
    REMINDER = "van_ban_don_doc"
    DECISION = "quyet_dinh"
    DAILY_LOG = "so_tiep_cong_dan"
    NOTICE = "thong_bao_tra_loi"
    DIALOGUE_NOTICE = "giay_moi_doi_thoai"
    DIALOGUE_MINUTES = "bien_ban_doi_thoai"
    RECEPTION_MINUTES = "bien_ban_tiep_cong_dan"
    RECEPTION_CONCLUSION = "thong_bao_ket_luan_tiep"


class Role(enum.StrEnum):
    CLERK = "can_bo_tiep"
    HANDLER = "can_bo_xu_ly"
    LEAD = "lanh_dao"
    ADMIN = "quan_tri"
