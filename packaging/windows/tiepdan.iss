; Inno Setup 6 script for the TiếpDân installer, built on Windows from the PyInstaller bundle:
;   make build                      (or: pyinstaller --noconfirm --clean build.spec) -> dist\TiepDan\
;   iscc /DAppVersion=0.1.0 packaging\windows\tiepdan.iss   -> dist\installer\TiepDan-0.1.0-setup.exe
; Saved as UTF-8 with a byte-order mark: Inno Setup 6 then reads the Vietnamese text as Unicode.
; Installs for the current user (no administrator rights needed on a locked-down office PC);
; an administrator can choose "all users" in the dialog. The data (database, keys' files,
; backups, drafts) lives in %LOCALAPPDATA%\TiepDan, created by the application itself, so the
; uninstaller, which removes only what it installed, keeps it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "TiếpDân"
#define AppExe "TiepDan.exe"
#define Bundle "..\..\dist\TiepDan"

[Setup]
AppId={{6F0C2E7A-3B8D-4B8E-9C51-2D7A1E5B9F40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=TiếpDân
AppComments=Phần mềm tiếp công dân và xử lý đơn thư
LicenseFile=..\..\LICENSE
DefaultDirName={autopf}\TiepDan
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=TiepDan-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
CloseApplications=yes

[Languages]
; Vietnamese ships with Inno Setup 6.1+ among the unofficial translations; copy
; Vietnamese.isl into the compiler's Languages folder (see the README), or drop this line
; and the installer speaks English.
Name: "vi"; MessagesFile: "compiler:Languages\Vietnamese.isl"

[Tasks]
Name: "desktopicon"; Description: "Tạo biểu tượng trên màn hình nền"; GroupDescription: "Biểu tượng:"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\Gỡ cài đặt {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "Mở {#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the bundle itself writes beside the program (Python byte code caches); the data
; folder %LOCALAPPDATA%\TiepDan is never listed here.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
