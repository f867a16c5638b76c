"""Qt's own texts in Vietnamese: standard buttons, the text fields' context menu, the file dialog.

Qt ships no ``qtbase_vi.qm`` (PySide6 6.12 has 33 qtbase languages, Vietnamese not among them), so
``install`` loads it when a later Qt brings one and otherwise installs ``QtTexts``, a translator
over the few strings of Qt's that our screens show. Keys are Qt's (context, source text) pairs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_EDIT_MENU = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "&Cắt",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
}

TEXTS: dict[str, dict[str, str]] = {
    "QPlatformTheme": {
        "OK": "Đồng ý",
        "Save": "Lưu",
        "Save All": "Lưu tất cả",
        "Open": "Mở",
        "&Yes": "&Có",
        "Yes to &All": "Có với &tất cả",
        "&No": "&Không",
        "N&o to All": "Không với tất &cả",
        "Abort": "Hủy bỏ",
        "Retry": "Thử lại",
        "Ignore": "Bỏ qua",
        "Close": "Đóng",
        "Cancel": "Hủy",
        "Discard": "Bỏ",
        "Help": "Trợ giúp",
        "Apply": "Áp dụng",
        "Reset": "Đặt lại",
        "Restore Defaults": "Khôi phục mặc định",
    },
    "QMessageBox": {"Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…"},
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": {**_EDIT_MENU, "Copy &Link Location": "Sao chép địa chỉ &liên kết"},
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng", "Step &down": "&Giảm"},
    "QInputDialog": {"Enter a value:": "Nhập giá trị:"},
    "QFileDialog": {
        "&Look in:": "&Tìm trong:",
        "Look in:": "Tìm trong:",
        "File &name:": "Tê&n tệp:",
        "Files of &type:": "&Kiểu tệp:",
        "Files of type:": "Kiểu tệp:",
        "Show ": "Hiện ",
        "Directory:": "Thư mục:",
        "&Open": "&Mở",
        "&Save": "&Lưu",
        "&Choose": "&Chọn",
        "Open": "Mở tệp",
        "Save As": "Lưu thành",
        "Find Directory": "Chọn thư mục",
        "Back": "Lùi lại",
        "Forward": "Tiến tới",
        "Parent Directory": "Thư mục cha",
        "Go back": "Lùi lại",
        "Go forward": "Tiến tới",
        "Go to the parent directory": "Lên thư mục cha",
        "Create New Folder": "Tạo thư mục mới",
        "Create a New Folder": "Tạo một thư mục mới",
        "New Folder": "Thư mục mới",
        "&New Folder": "Thư mục &mới",
        "List View": "Xem dạng danh sách",
        "Detail View": "Xem chi tiết",
        "Change to list view mode": "Chuyển sang xem dạng danh sách",
        "Change to detail view mode": "Chuyển sang xem chi tiết",
        "Show &hidden files": "Hiện tệp &ẩn",
        "&Rename": "Đổi &tên",
        "&Delete": "&Xóa",
        "Delete": "Xóa",
        "Remove": "Gỡ bỏ",
        "Recent Places": "Vị trí gần đây",
        "Sidebar": "Thanh bên",
        "List of places and bookmarks": "Danh sách vị trí và dấu trang",
        "My Computer": "Máy tính",
        "All Files (*)": "Mọi tệp (*)",
        "All files (*)": "Mọi tệp (*)",
        "Directories": "Thư mục",
        "Folder": "Thư mục",
        "File Folder": "Thư mục",
        "File": "Tệp",
        "Files": "Tệp",
        "%1 File": "Tệp %1",
        "Drive": "Ổ đĩa",
        "Shortcut": "Lối tắt",
        "Unknown": "Không rõ",
        "%1 already exists.\nDo you want to replace it?": "Tệp %1 đã có.\nGhi đè lên tệp đó?",
        "%1\nFile not found.\nPlease verify the correct file name was given.": (
            "%1\nKhông tìm thấy tệp.\nKiểm tra lại tên tệp."
        ),
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
            "%1\nKhông tìm thấy thư mục.\nKiểm tra lại tên thư mục."
        ),
        "Are you sure you want to delete '%1'?": "Xóa “%1”?",
        "Could not delete directory.": "Không xóa được thư mục.",
    },
    "QAbstractFileIconProvider": {"Drive": "Ổ đĩa", "Folder": "Thư mục"},
    "QFileSystemModel": {
        "Name": "Tên",
        "Size": "Kích thước",
        "Type": "Loại",
        "Kind": "Loại",
        "Date Modified": "Ngày sửa",
        "My Computer": "Máy tính",
        "Computer": "Máy tính",
        "Invalid filename": "Tên tệp không hợp lệ",
    },
}


class QtTexts(QTranslator):
    """Answers Qt's own lookups from ``TEXTS``; anything else stays Qt's English text.

    The source text itself, not "", is the answer for a string not in the table: Qt would show an
    empty string as a translation.
    """

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return TEXTS.get(context, {}).get(source, source)

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> QTranslator:
    """Qt's Vietnamese file when Qt has one, else our table; kept alive as a child of ``app``."""
    shipped = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    vietnamese = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    translator = shipped if shipped.load(vietnamese, "qtbase", "_", folder) else QtTexts(app)
    app.installTranslator(translator)
    return translator
