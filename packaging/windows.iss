; Inno Setup 6 script: the Windows installer of the frozen station.
; UNTESTED: written on Linux, where neither PyInstaller's Windows build nor Inno Setup ran.
; Read it as an outline to try on a Windows build machine (README, "Bản đóng gói / Frozen build"):
;
;   py -m venv .venv
;   .venv\Scripts\pip install -e .[dist]
;   .venv\Scripts\python -m resources.i18n compile
;   .venv\Scripts\pyinstaller --noconfirm packaging\enrollment-station.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows.iss
;
; The result is dist\enrollment-station-<version>-setup.exe. It installs for the signed-in
; Windows user only (no administrator needed: %LOCALAPPDATA%\Programs), like the station's data,
; which lives in %LOCALAPPDATA%\enrollment-station and is never touched by the uninstaller.
; This file is UTF-8 with a byte-order mark: Inno Setup 6 then reads the Vietnamese names.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Trạm thu nhận căn cước"
#define AppExe "enrollment-station.exe"

[Setup]
; One fixed id for every version: an update replaces the old one instead of adding a second.
AppId={{6F0D5B8C-3E2A-4C59-9B1E-3A7D2C4E8F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Công an xã
DefaultDirName={autopf}\EnrollmentStation
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=enrollment-station-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
; The icon of setup.exe itself: PyInstaller's .ico of the program (made from the PNG) could
; be copied here; Inno Setup's own icon is used until then.
;SetupIconFile=enrollment-station.ico

[Languages]
; Inno Setup ships no Vietnamese messages file; its unofficial one (Vietnamese.isl from
; jrsoftware.org/files/istrans) goes beside this file and becomes the first language.
;Name: "vi"; MessagesFile: "Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder build: the two programs and _internal\ beside them.
Source: "..\dist\enrollment-station\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
