# 0 "test_sys.cfg"
# 1 "test_sys.cfg"
# 1 "test_sys.h" 1
# 3 "test_sys.cfg" 2
ATT_INI({ 0U, 7, init_routine });
ATT_TER({ 0U, 8, ter_routine });
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 6 "test_sys.cfg" 3 4
                                                            ((void *)0) 
# 6 "test_sys.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 10, 4096U, 
# 7 "test_sys.cfg" 3 4
                                                             ((void *)0) 
# 7 "test_sys.cfg"
                                                                  });
CRE_TSK(TASK3, { 0U, 3, task3, 10, 4096U, 
# 8 "test_sys.cfg" 3 4
                                                             ((void *)0) 
# 8 "test_sys.cfg"
                                                                  });
CRE_TSK(TASK4, { 0U, 4, task4, 9, 4096U, 
# 9 "test_sys.cfg" 3 4
                                                              ((void *)0) 
# 9 "test_sys.cfg"
                                                                   });
CRE_ALM(ALM1, { 0U, 1, alm1 });
